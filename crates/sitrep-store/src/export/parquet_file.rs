//! Parquet with the GDELT-style CSV's columns, written with parquet's column API (no Arrow,
//! to keep the optional build small). Row groups of `GROUP_ROWS` bound memory on big exports.

use super::GdeltRow;
use crate::error::{Result, StoreError};
use crate::{EventFilter, Store};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::parser::parse_message_type;
use serde_json::{Map, Value};
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

const GROUP_ROWS: usize = 65_536;

#[derive(Clone, Copy)]
enum Kind {
    I64,
    I32,
    F64,
    Str,
    OptI32,
    OptF64,
}

/// Column name (as in the CSV) and physical kind; integer kinds hold the small unsigned fields.
const COLUMNS: &[(&str, Kind)] = &[
    ("GLOBALEVENTID", Kind::I64),
    ("SQLDATE", Kind::I32),
    ("MonthYear", Kind::I32),
    ("Year", Kind::I32),
    ("FractionDate", Kind::F64),
    ("Actor1Code", Kind::Str),
    ("Actor1Name", Kind::Str),
    ("Actor1CountryCode", Kind::Str),
    ("Actor1Type1Code", Kind::Str),
    ("Actor2Code", Kind::Str),
    ("Actor2Name", Kind::Str),
    ("Actor2CountryCode", Kind::Str),
    ("Actor2Type1Code", Kind::Str),
    ("IsRootEvent", Kind::I32),
    ("EventCode", Kind::Str),
    ("EventBaseCode", Kind::Str),
    ("EventRootCode", Kind::Str),
    ("QuadClass", Kind::I32),
    ("GoldsteinScale", Kind::F64),
    ("NumMentions", Kind::I64),
    ("NumSources", Kind::I64),
    ("NumArticles", Kind::I64),
    ("ActionGeo_Type", Kind::OptI32),
    ("ActionGeo_FullName", Kind::Str),
    ("ActionGeo_CountryCode", Kind::Str),
    ("ActionGeo_Lat", Kind::OptF64),
    ("ActionGeo_Long", Kind::OptF64),
    ("SOURCEURL", Kind::Str),
    ("sitrep_id", Kind::Str),
    ("doc_id", Kind::Str),
    ("plover_event", Kind::Str),
    ("plover_mode", Kind::Str),
    ("status", Kind::Str),
    ("confidence", Kind::F64),
    ("story_id", Kind::Str),
    ("source_name", Kind::Str),
    ("evidence", Kind::Str),
    ("fatalities", Kind::I64),
];

fn schema() -> String {
    let mut s = String::from("message sitrep_event {\n");
    for (name, kind) in COLUMNS {
        let t = match kind {
            Kind::I64 => "REQUIRED INT64",
            Kind::I32 => "REQUIRED INT32",
            Kind::F64 => "REQUIRED DOUBLE",
            Kind::Str => "REQUIRED BYTE_ARRAY",
            Kind::OptI32 => "OPTIONAL INT32",
            Kind::OptF64 => "OPTIONAL DOUBLE",
        };
        let ann = if matches!(kind, Kind::Str) {
            " (UTF8)"
        } else {
            ""
        };
        s.push_str(&format!("  {t} {name}{ann};\n"));
    }
    s.push('}');
    s
}

fn pq(e: impl std::fmt::Display) -> StoreError {
    StoreError::Export(format!("parquet: {e}"))
}

/// Writes matching events to `path`; returns how many.
pub fn write_parquet(store: &Store, f: &EventFilter, path: &Path) -> Result<u64> {
    let schema = Arc::new(parse_message_type(&schema()).map_err(pq)?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build(),
    );
    let file = File::create(path)?;
    let mut w = SerializedFileWriter::new(file, schema, props).map_err(pq)?;
    let mut buf: Vec<Map<String, Value>> = Vec::with_capacity(GROUP_ROWS);
    let mut n = 0u64;
    store.for_each_event(f, |r| {
        match serde_json::to_value(GdeltRow::from_row(&r)).map_err(pq)? {
            Value::Object(m) => buf.push(m),
            _ => return Err(pq("row is not an object")),
        }
        n += 1;
        if buf.len() == GROUP_ROWS {
            write_group(&mut w, &buf)?;
            buf.clear();
        }
        Ok(())
    })?;
    if !buf.is_empty() || n == 0 {
        write_group(&mut w, &buf)?;
    }
    w.close().map_err(pq)?;
    Ok(n)
}

fn write_group(w: &mut SerializedFileWriter<File>, rows: &[Map<String, Value>]) -> Result<()> {
    let mut g = w.next_row_group().map_err(pq)?;
    for (name, kind) in COLUMNS {
        let mut col = g
            .next_column()
            .map_err(pq)?
            .ok_or_else(|| pq("schema ran out of columns"))?;
        let vals = rows.iter().map(|r| r.get(*name).unwrap_or(&Value::Null));
        let defs: Vec<i16> = rows
            .iter()
            .map(|r| (!r.get(*name).unwrap_or(&Value::Null).is_null()) as i16)
            .collect();
        let opt = matches!(kind, Kind::OptI32 | Kind::OptF64);
        let defs = opt.then_some(defs.as_slice());
        match kind {
            Kind::I64 => {
                let v: Vec<i64> = vals.map(|v| v.as_i64().unwrap_or(0)).collect();
                col.typed::<Int64Type>().write_batch(&v, None, None)
            }
            Kind::I32 | Kind::OptI32 => {
                let v: Vec<i32> = vals.filter_map(|v| v.as_i64().map(|x| x as i32)).collect();
                col.typed::<Int32Type>().write_batch(&v, defs, None)
            }
            Kind::F64 | Kind::OptF64 => {
                let v: Vec<f64> = vals.filter_map(|v| v.as_f64()).collect();
                col.typed::<DoubleType>().write_batch(&v, defs, None)
            }
            Kind::Str => {
                let v: Vec<ByteArray> = vals
                    .map(|v| ByteArray::from(v.as_str().unwrap_or("")))
                    .collect();
                col.typed::<ByteArrayType>().write_batch(&v, None, None)
            }
        }
        .map_err(pq)?;
        col.close().map_err(pq)?;
    }
    g.close().map_err(pq)?;
    Ok(())
}

/// Reads a file written by `write_parquet` back into rows (tests, and a check that it loads).
pub fn read_parquet(path: &Path) -> Result<Vec<GdeltRow>> {
    let reader = SerializedFileReader::new(File::open(path)?).map_err(pq)?;
    let mut out = Vec::new();
    for row in reader.get_row_iter(None).map_err(pq)? {
        let row = row.map_err(pq)?;
        let mut m = Map::new();
        for (name, field) in row.get_column_iter() {
            let v = match field {
                Field::Null => Value::Null,
                Field::Int(i) => Value::from(*i),
                Field::Long(i) => Value::from(*i),
                Field::Double(d) => Value::from(*d),
                Field::Str(s) => Value::from(s.clone()),
                other => return Err(pq(format!("column {name}: unexpected value {other}"))),
            };
            m.insert(name.clone(), v);
        }
        out.push(serde_json::from_value(Value::Object(m)).map_err(pq)?);
    }
    Ok(out)
}

# Type stubs of the extension module built from crates/sitrep-py (see its doc comments).
import datetime
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

_Date = Union[str, datetime.date]
_Texts = Union[str, Iterable[str]]
_Dates = Union[_Date, Sequence[_Date], None]
_Path = Union[str, "os.PathLike[str]"]

__version__: str
FLAT_COLUMNS: List[str]
EXPORT_COLUMNS: List[str]
FILTERS: List[str]

class SitrepError(Exception): ...

class Coder:
    def __init__(
        self,
        kb_dir: Union[_Path, Sequence[_Path], None] = None,
        rules_only: bool = False,
        statements: bool = False,
        threads: Optional[int] = None,
    ) -> None: ...
    @property
    def rules_only(self) -> bool: ...
    def code(
        self, texts: _Texts, dates: _Dates = None, ids: Optional[Sequence[str]] = None
    ) -> List[Dict[str, Any]]: ...
    def code_path(
        self, path: _Path, date: Optional[_Date] = None, strict: bool = False
    ) -> List[Dict[str, Any]]: ...
    def code_columns(
        self,
        texts: Optional[_Texts] = None,
        dates: _Dates = None,
        ids: Optional[Sequence[str]] = None,
        path: Optional[_Path] = None,
        strict: bool = False,
        json: bool = False,
    ) -> Dict[str, List[Any]]: ...

class Store:
    def __init__(self, path: _Path) -> None: ...
    @property
    def path(self) -> str: ...
    def ingest(
        self,
        coder: Coder,
        texts: Optional[_Texts] = None,
        dates: _Dates = None,
        ids: Optional[Sequence[str]] = None,
        path: Optional[_Path] = None,
        strict: bool = False,
        batch: int = 5000,
    ) -> Dict[str, int]: ...
    def counts(self) -> Dict[str, int]: ...
    def event_columns(self, **filters: Any) -> Dict[str, List[Any]]: ...
    def event_records(self, **filters: Any) -> List[Dict[str, Any]]: ...
    def series_records(
        self, by: str = "total", bucket: str = "week", **filters: Any
    ) -> List[Dict[str, Any]]: ...
    def story_records(self, **filters: Any) -> List[Dict[str, Any]]: ...
    def export(self, path: _Path, format: str = "parquet", **filters: Any) -> int: ...

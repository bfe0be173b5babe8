# Type stubs of the package `sitrep` (python/sitrep/__init__.py).
from typing import Any, Dict, List, Optional, Sequence, Union

import pandas

from ._sitrep import EXPORT_COLUMNS as EXPORT_COLUMNS
from ._sitrep import FILTERS as FILTERS
from ._sitrep import FLAT_COLUMNS as FLAT_COLUMNS
from ._sitrep import SitrepError as SitrepError
from ._sitrep import __version__ as __version__
from ._sitrep import Coder as _Coder
from ._sitrep import Store as _Store
from ._sitrep import _Dates, _Path, _Texts

class Coder(_Coder):
    def code_frame(
        self,
        texts: Optional[_Texts] = None,
        dates: _Dates = None,
        ids: Optional[Sequence[str]] = None,
        *,
        path: Optional[_Path] = None,
        strict: bool = False,
        json: bool = False,
    ) -> pandas.DataFrame: ...

def code(
    texts: _Texts,
    dates: _Dates = None,
    ids: Optional[Sequence[str]] = None,
    *,
    kb_dir: Union[_Path, Sequence[_Path], None] = None,
    rules_only: bool = False,
) -> List[Dict[str, Any]]: ...
def code_frame(
    texts: Optional[_Texts] = None,
    dates: _Dates = None,
    ids: Optional[Sequence[str]] = None,
    *,
    path: Optional[_Path] = None,
    kb_dir: Union[_Path, Sequence[_Path], None] = None,
    rules_only: bool = False,
    json: bool = False,
) -> pandas.DataFrame: ...

class Store(_Store):
    def ingest(  # type: ignore[override]
        self,
        texts: Optional[_Texts] = None,
        dates: _Dates = None,
        ids: Optional[Sequence[str]] = None,
        *,
        path: Optional[_Path] = None,
        coder: Optional[Coder] = None,
        strict: bool = False,
        batch: int = 5000,
    ) -> Dict[str, int]: ...
    def events(self, **filters: Any) -> pandas.DataFrame: ...
    def series(self, by: str = "total", bucket: str = "week", **filters: Any) -> pandas.DataFrame: ...
    def stories(self, **filters: Any) -> pandas.DataFrame: ...

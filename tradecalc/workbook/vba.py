"""The VBA project of the .xlsm, taken at build time from the installed xlwings.

Classic xlwings calls Python from Excel through VBA. ``xlwings quickstart
--standalone`` creates its workbooks from ``quickstart_standalone.xlsm``,
which ships inside the xlwings package and carries the whole xlwings VBA
module (RunPython, ImportPythonUDFs, the config readers), so a workbook that
has it needs neither the xlwings add-in nor a VBA reference. The build copies
that file's ``xl/vbaProject.bin`` into the template; the binary is never
committed (it is xlwings' code, under xlwings' licence, and matches the
xlwings the user installed).

The quickstart project also carries ``Module1`` with xlwings' sample
``SampleCall``, which runs ``import <workbook name>`` (for
``chongqing-2021-q1.xlsm``, ``import chongqing-2021-q1``: a syntax error).
:func:`without_module` takes it out: the module's MODULE record in the ``dir``
stream (MS-OVBA 2.3.4.2, compressed with :mod:`tradecalc.workbook.ovba`) and
the module count, its stream, its lines in the ``PROJECT`` stream and its name
in ``PROJECTwm``; the compound file is rewritten with
:mod:`tradecalc.workbook.cfb`. Every other stream keeps its bytes, so the
xlwings module's source is xlwings' own. The result is read back and checked
before it is returned: a project that is not laid out as expected raises
ValueError rather than give a broken vbaProject.bin.

What stays: the standard module ``xlwings``, the class ``Dictionary`` and the
document modules ``ThisWorkbook`` (the workbook's, by its ``VB_Base``), ``Sheet1``
and ``Sheet2`` (worksheets'). A document module belongs to the workbook or the
sheet with that code name: :func:`check_code_names` refuses a project whose
document modules have no such workbook or sheet. A sheet without a module is
allowed; Excel creates the module of such a sheet when it opens the file.
"""

from __future__ import annotations

import codecs
import importlib.util
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tradecalc.workbook import cfb, ovba

SOURCE_WORKBOOK = "quickstart_standalone.xlsm"
VBA_PART = "xl/vbaProject.bin"
SAMPLE_MODULE = "Module1"  # the quickstart's standard module with Sub SampleCall
SAMPLE_PROCEDURE = b"Sub SampleCall()"

# _VBA_PROJECT without a performance cache (MS-OVBA 2.3.4.1): Reserved1 0x61CC, Version 0xFFFF
# ("MUST be 0xFFFF on write": the host then compiles every module from its source, ignoring
# the caches in the module streams), Reserved2 0x00, Reserved3 0x0001.
VBA_PROJECT_NO_CACHE = b"\xcc\x61\xff\xff\x00\x01\x00"

# dir stream record ids (MS-OVBA 2.3.4.2)
_PROJECTVERSION = 0x0009  # its Size field says 4 but 6 bytes follow
_PROJECTMODULES = 0x000F
_DIR_TERMINATOR = 0x0010
_MODULENAME = 0x0019
_MODULESTREAMNAME = 0x001A
_MODULEOFFSET = 0x0031
_MODULETYPE_PROCEDURAL = 0x0021
_MODULE_TERMINATOR = 0x002B
#: Records of one MODULE (MS-OVBA 2.3.4.2.3.2), after its MODULENAME.
_MODULE_RECORD_IDS = frozenset(
    {0x0047, 0x001A, 0x0032, 0x001C, 0x0048, 0x0031, 0x001E, 0x002C, 0x0021, 0x0022, 0x0025,
     0x0028, 0x002B}
)  # fmt: skip
#: The dir stream's records other than the modules' (MS-OVBA 2.3.4.2): project information,
#: references, the Reserved ids that introduce a Unicode twin, and the terminator.
_PROJECT_RECORD_IDS = frozenset(
    {0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009, 0x000C, 0x000D,
     0x000E, 0x000F, 0x0010, 0x0013, 0x0014, 0x0016, 0x002F, 0x0030, 0x0033, 0x003C, 0x003D,
     0x003E, 0x0040, 0x004A}
)  # fmt: skip
#: Every record id a dir stream may hold; any other is damage.
_DIR_IDS = _PROJECT_RECORD_IDS | {_MODULENAME} | _MODULE_RECORD_IDS
#: class ids of Excel's objects (its type library), as a document module's VB_Base names them
EXCEL_CLASSES = {
    "{00020819-0000-0000-C000-000000000046}": "Workbook",
    "{00020820-0000-0000-C000-000000000046}": "Worksheet",
    "{00020821-0000-0000-C000-000000000046}": "Chart",
}
_SRP_CACHE = re.compile(r"__SRP_\d+")  # more performance caches, dropped with the version


def xlwings_dir() -> Path:
    """The installed xlwings package's folder (found without importing xlwings)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        raise ValueError(
            "xlwings is not installed, so the .xlsm cannot get its VBA project; "
            "pip install xlwings, or build a macro-free copy with --format xlsx"
        )
    return Path(spec.origin).parent


def quickstart_vba_project() -> tuple[bytes, str]:
    """(vbaProject.bin bytes, where they came from) of xlwings' standalone quickstart, as shipped."""
    src = xlwings_dir() / SOURCE_WORKBOOK
    if not src.is_file():
        raise ValueError(
            f"the installed xlwings has no {SOURCE_WORKBOOK} to take the VBA project from ({src}); "
            "build a macro-free copy with --format xlsx"
        )
    with zipfile.ZipFile(src) as z:
        try:
            data = z.read(VBA_PART)
        except KeyError:
            raise ValueError(
                f"{src} holds no {VBA_PART}; build a macro-free copy with --format xlsx"
            ) from None
    if not data.startswith(cfb.SIGNATURE[:4]):  # an OLE compound file, as Excel stores VBA
        raise ValueError(f"{src}:{VBA_PART} is not a VBA project (not an OLE file)")
    return data, f"{src.name} of xlwings {_version()}"


def xlwings_vba_project() -> tuple[bytes, str]:
    """(vbaProject.bin bytes, where they came from): the quickstart's project without ``Module1``.

    ValueError (saying to build with ``--format xlsx``) when the installed
    xlwings' project is not laid out as this code knows.
    """
    data, where = quickstart_vba_project()
    try:
        if SAMPLE_MODULE not in modules(data):
            return data, where  # a quickstart without the sample module: nothing to take out
        if SAMPLE_PROCEDURE not in module_source(data, SAMPLE_MODULE):
            raise ValueError(f"{SAMPLE_MODULE} is not xlwings' SampleCall sample, so it is kept")
        return without_module(data, SAMPLE_MODULE), f"{where}, without {SAMPLE_MODULE}"
    except ValueError as e:
        raise ValueError(
            f"{where}: its VBA project is not laid out as tradecalc expects: {e}; "
            "build a macro-free copy with --format xlsx"
        ) from None


# ------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class DirModule:
    """One MODULE record of the dir stream."""

    name: str  # MODULENAME, in the project's code page
    stream: str  # MODULESTREAMNAME: the stream under VBA/ holding its source
    text_offset: int  # MODULEOFFSET: where the compressed source starts in that stream
    procedural: bool  # standard module (else document, class or designer)


def modules(vba: bytes) -> dict[str, str]:
    """Module name -> kind (``Document``, ``Module``, ``Class``, ``BaseClass``) from the PROJECT stream.

    Checked against the dir stream: the two must list the same modules.
    """
    project = _project(cfb.read(vba))
    kinds = _project_modules(project.stream, project.codec)
    listed = [m.name for m in project.modules]
    if sorted(kinds) != sorted(listed):
        raise ValueError(f"PROJECT lists {sorted(kinds)} but dir lists {sorted(listed)}")
    return kinds


def document_modules(vba: bytes) -> list[str]:
    """The document modules (the workbook's and its sheets'), in the PROJECT stream's order."""
    return [name for name, kind in modules(vba).items() if kind == "Document"]


def module_source(vba: bytes, name: str) -> bytes:
    """The decompressed source of module ``name`` (KeyError if there is none)."""
    project = _project(cfb.read(vba))
    for m in project.modules:
        if m.name == name:
            stream = project.vba.children.get(m.stream)
            if not isinstance(stream, bytes):
                raise ValueError(f"module {name} has no stream VBA/{m.stream}")
            return ovba.decompress(stream[m.text_offset :])
    raise KeyError(name)


def document_bases(vba: bytes) -> dict[str, str]:
    """Document module -> the Excel object it belongs to (``Workbook``, ``Worksheet``, ``Chart``).

    Read from the module's ``Attribute VB_Base`` line: the class id of the
    object in Excel's type library (another class id is returned as it is).

    >>> document_bases(xlwings_vba_project()[0])
    {'ThisWorkbook': 'Workbook', 'Sheet1': 'Worksheet', 'Sheet2': 'Worksheet'}
    """
    out = {}
    for name in document_modules(vba):
        found = re.search(
            rb'^Attribute VB_Base = "0(\{[0-9A-F-]+\})', module_source(vba, name), re.M
        )
        if found is None:
            raise ValueError(f"document module {name} has no VB_Base attribute")
        clsid = found.group(1).decode()
        out[name] = EXCEL_CLASSES.get(clsid, clsid)
    return out


def workbook_code_name(vba: bytes) -> str:
    """The code name the workbook must have: the project's one Workbook document module.

    >>> workbook_code_name(xlwings_vba_project()[0])
    'ThisWorkbook'
    """
    names = [n for n, base in document_bases(vba).items() if base == "Workbook"]
    if len(names) != 1:
        raise ValueError(f"the VBA project has {len(names)} workbook modules, not one")
    return names[0]


def check_code_names(vba: bytes, workbook: str | None, sheets: list[str | None]) -> None:
    """ValueError unless the project's document modules fit the workbook's code names.

    ``workbook``: the workbook's code name; ``sheets``: each sheet's. The
    workbook's must be the project's Workbook module, and every other document
    module must be a sheet's: a module whose sheet is missing would be left
    without its object when Excel opens the file. A sheet without a module is
    fine (Excel adds an empty one).

    >>> vba, _ = xlwings_vba_project()
    >>> check_code_names(vba, "ThisWorkbook", ["Sheet1", "Sheet2", "Sheet3"])
    >>> check_code_names(vba, "ThisWorkbook", ["Sheet1"])
    Traceback (most recent call last):
    ValueError: the VBA project has document modules without a sheet of that code name: Sheet2
    """
    expected = workbook_code_name(vba)
    if workbook != expected:
        raise ValueError(
            f"the workbook's code name is {workbook!r}, but its module in the VBA project is "
            f"{expected!r}"
        )
    orphans = [d for d in document_modules(vba) if d != workbook and d not in sheets]
    if orphans:
        raise ValueError(
            "the VBA project has document modules without a sheet of that code name: "
            + ", ".join(orphans)
        )


@dataclass
class _Project:
    root: cfb.Storage
    vba: cfb.Storage
    stream: bytes  # PROJECT
    dir: list[tuple[int, bytes]]  # dir records: (id, the whole record's bytes)
    modules: list[DirModule]
    codec: str


def _project(root: cfb.Storage) -> _Project:
    try:
        return _parse_project(root)
    except (struct.error, KeyError, IndexError) as e:  # a record shorter than its kind
        raise ValueError(f"malformed VBA project ({type(e).__name__}: {e})") from None


def _parse_project(root: cfb.Storage) -> _Project:
    vba = root.children.get("VBA")
    project = root.children.get("PROJECT")
    if not isinstance(vba, cfb.Storage) or not isinstance(project, bytes):
        raise ValueError("no VBA storage or PROJECT stream: not a VBA project")
    dir_stream = vba.children.get("dir")
    if not isinstance(dir_stream, bytes):
        raise ValueError("no VBA/dir stream")
    records = _dir_records(ovba.decompress(dir_stream))
    codec = _codec(records)
    return _Project(root, vba, project, records, _dir_modules(records, codec), codec)


def _dir_records(data: bytes) -> list[tuple[int, bytes]]:
    """The dir stream cut into records (MS-OVBA 2.3.4.2): (Id, the record's bytes)."""
    out: list[tuple[int, bytes]] = []
    pos = 0
    while True:
        if pos + 6 > len(data):
            raise ValueError("dir stream ends before its terminator record")
        rid, size = struct.unpack_from("<HI", data, pos)
        if rid not in _DIR_IDS:
            raise ValueError(f"dir stream holds a record of unknown id 0x{rid:04X} (damaged?)")
        if rid == _PROJECTVERSION:
            size = 6
        end = pos + 6 + size
        if end > len(data):
            raise ValueError(f"dir record 0x{rid:04X} runs past the end of the stream")
        out.append((rid, data[pos:end]))
        pos = end
        if rid == _DIR_TERMINATOR:
            return out


def _codec(records: list[tuple[int, bytes]]) -> str:
    for rid, raw in records:
        if rid == 0x0003:  # PROJECTCODEPAGE
            codec = f"cp{struct.unpack_from('<H', raw, 6)[0]}"
            try:
                return codecs.lookup(codec).name
            except LookupError:
                raise ValueError(f"unknown code page {codec} in the dir stream") from None
    raise ValueError("dir stream has no PROJECTCODEPAGE record")


def _dir_modules(records: list[tuple[int, bytes]], codec: str) -> list[DirModule]:
    """The MODULE records, checked against PROJECTMODULES' count."""
    count = [struct.unpack_from("<H", raw, 6)[0] for rid, raw in records if rid == _PROJECTMODULES]
    out: list[DirModule] = []
    fields: dict[int, bytes] = {}
    in_module = False
    for rid, raw in records:
        if rid == _MODULENAME:
            fields, in_module = {}, True
        elif rid in _MODULE_RECORD_IDS and not in_module:
            raise ValueError(f"dir record 0x{rid:04X} of a module comes before its MODULENAME")
        fields[rid] = raw[6:]
        if rid == _MODULE_TERMINATOR:
            in_module = False
            if _MODULENAME not in fields or _MODULESTREAMNAME not in fields:
                raise ValueError("a dir MODULE record without its name or stream name")
            out.append(
                DirModule(
                    name=fields[_MODULENAME].decode(codec),
                    stream=fields[_MODULESTREAMNAME].decode(codec),
                    text_offset=struct.unpack("<I", fields[_MODULEOFFSET])[0],
                    procedural=_MODULETYPE_PROCEDURAL in fields,
                )
            )
    if count != [len(out)]:
        raise ValueError(f"dir stream: PROJECTMODULES says {count} modules, {len(out)} are listed")
    return out


def _project_modules(stream: bytes, codec: str) -> dict[str, str]:
    """Module name -> kind from the PROJECT stream's ProjectModules lines (MS-OVBA 2.3.1.3)."""
    text = stream.split(b"\r\n\r\n", 1)[0].decode(codec)  # the part before [Host Extender Info]
    return dict(
        (name, kind)
        for kind, name in re.findall(
            r"^(Document|Module|Class|BaseClass)=([^/\r\n]+)", text, re.MULTILINE
        )
    )


# ------------------------------------------------------------------------------ rewriting


def without_module(vba: bytes, name: str) -> bytes:
    """``vba`` without the standard module ``name``; ValueError if that cannot be done safely.

    Only what names the module changes: its dir record and the module count,
    its stream, its ``Module=`` and ``[Workspace]`` lines in PROJECT, its
    PROJECTwm entry. ``_VBA_PROJECT`` is set to the form without a cache if it
    has one (and ``__SRP_`` caches dropped), so Excel compiles from source.
    """
    root = cfb.read(vba)
    p = _project(root)
    gone = [m for m in p.modules if m.name == name]
    if len(gone) != 1 or not gone[0].procedural:
        raise ValueError(f"the VBA project has no standard module {name!r} to remove")
    module = gone[0]
    known = {"dir", "_VBA_PROJECT"} | {m.stream for m in p.modules}
    unknown = [n for n in p.vba.children if n not in known and not _SRP_CACHE.fullmatch(n)]
    if unknown:
        raise ValueError(f"unexpected streams in the VBA storage: {', '.join(unknown)}")
    vba_project = p.vba.children.get("_VBA_PROJECT")
    if not isinstance(vba_project, bytes) or vba_project[:2] != VBA_PROJECT_NO_CACHE[:2]:
        raise ValueError("no valid VBA/_VBA_PROJECT stream")

    children = {
        n: data
        for n, data in p.vba.children.items()
        if n != module.stream and not _SRP_CACHE.fullmatch(n)
    }
    children["dir"] = ovba.compress(_dir_without(p.dir, module.name.encode(p.codec)))
    if vba_project != VBA_PROJECT_NO_CACHE:
        children["_VBA_PROJECT"] = VBA_PROJECT_NO_CACHE
    new_root = cfb.Storage(dict(root.children), root.clsid)
    new_root.children["VBA"] = cfb.Storage(children, p.vba.clsid)
    encoded = name.encode(p.codec)
    new_root.children["PROJECT"] = _project_stream_without(p.stream, encoded)
    if isinstance(wm := root.children.get("PROJECTwm"), bytes):
        new_root.children["PROJECTwm"] = _projectwm_without(wm, encoded)
    out = cfb.write(new_root)
    _check_rewrite(out, new_root, [m.name for m in p.modules if m is not module])
    return out


def _dir_without(records: list[tuple[int, bytes]], name: bytes) -> bytes:
    """The decompressed dir stream without module ``name``'s records, its count one less."""
    out = bytearray()
    skipping = False
    for rid, raw in records:
        if rid == _MODULENAME:
            skipping = raw[6:] == name
        if rid == _PROJECTMODULES:
            (count,) = struct.unpack_from("<H", raw, 6)
            raw = raw[:6] + struct.pack("<H", count - 1)
        if not skipping:
            out += raw
        if rid == _MODULE_TERMINATOR:
            skipping = False
    return bytes(out)


def _project_stream_without(stream: bytes, name: bytes) -> bytes:
    """PROJECT without ``Module=<name>`` and, under ``[Workspace]``, ``<name>=...``."""
    lines = stream.split(b"\r\n")
    section = b""
    kept = []
    for line in lines:
        if line.startswith(b"[") and line.endswith(b"]"):
            section = line
        if line == b"Module=" + name:
            continue
        if section == b"[Workspace]" and line.startswith(name + b"="):
            continue
        kept.append(line)
    if len(kept) == len(lines):
        raise ValueError(f"the PROJECT stream has no Module={name.decode('latin-1')} line")
    return b"\r\n".join(kept)


def _projectwm_without(wm: bytes, name: bytes) -> bytes:
    """PROJECTwm (MS-OVBA 2.3.3) without ``name``'s pair (MBCS name NUL, UTF-16 name NUL NUL).

    >>> wm = b"A\\0A\\0\\0\\0Mod\\0M\\0o\\0d\\0\\0\\0\\0\\0"
    >>> _projectwm_without(wm, b"Mod")
    b'A\\x00A\\x00\\x00\\x00\\x00\\x00'
    """
    pairs = []
    pos = 0
    while wm[pos : pos + 2] != b"\0\0":
        mbcs_end = wm.find(b"\0", pos)
        if pos + 2 > len(wm) or mbcs_end < 0:
            raise ValueError("PROJECTwm has no terminator")
        uni_end = mbcs_end + 1
        while wm[uni_end : uni_end + 2] != b"\0\0":
            if uni_end + 2 > len(wm):
                raise ValueError("PROJECTwm ends inside a name")
            uni_end += 2
        pairs.append((wm[pos:mbcs_end], wm[pos : uni_end + 2]))
        pos = uni_end + 2
    kept = [raw for mbcs, raw in pairs if mbcs != name]
    if len(kept) != len(pairs) - 1:
        raise ValueError(f"PROJECTwm has no single entry {name.decode('latin-1')}")
    return b"".join(kept) + wm[pos:]


def _check_rewrite(out: bytes, expected: cfb.Storage, names: list[str]) -> None:
    """Read the rewritten file back: the same tree, and dir, PROJECT and streams agree on ``names``."""
    root = cfb.read(out)
    if root != expected:
        raise ValueError("the rewritten compound file does not read back as written")
    back = _project(root)
    listed = [m.name for m in back.modules]
    if listed != names or sorted(_project_modules(back.stream, back.codec)) != sorted(names):
        raise ValueError("the rewritten project does not list the modules it should")
    for m in back.modules:
        stream = back.vba.children.get(m.stream)
        if not isinstance(stream, bytes):
            raise ValueError(f"module {m.name} lost its stream")
        ovba.decompress(stream[m.text_offset :])


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xlwings")
    except PackageNotFoundError:
        return "?"

"""The ``odc`` command line: thin wrappers over the library, and the only place that exits."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opendatacommunities.csvw import Job, Reporter, map_to_rdf
from opendatacommunities.errors import OdcError, SettingsError
from opendatacommunities.formats import OUTPUT_FORMATS, WebFormat, output_format, write_rdf

if TYPE_CHECKING:
    from opendatacommunities.config import Settings


def _settings(**overrides: Any) -> Settings:
    """The settings from the environment, with the options given on the command line."""
    # Imported here so that ``odc map`` does not load what it never uses.
    from opendatacommunities.config import Settings

    try:
        return Settings.from_env().override(**overrides)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="odc", description="opendatacommunities: publish linked data"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)
    mapping = commands.add_parser("map", help="convert CSV + CSVW metadata to RDF")
    mapping.add_argument("input", type=Path, help="a CSV file or a CSVW metadata file")
    mapping.add_argument("--base-url", help="treat INPUT as fetched from this URL")
    mapping.add_argument("--metadata", type=Path, help="user-supplied (overriding) metadata")
    mapping.add_argument("--link-header", help="act as if this HTTP Link header came with INPUT")
    mapping.add_argument(
        "--minimal", action="store_true", help="minimal mode: no table/row structure"
    )
    mapping.add_argument("--no-prov", action="store_true", help="leave out provenance triples")
    mapping.add_argument(
        "--strict", action="store_true", help="stop at the first bad cell, row or key"
    )
    mapping.add_argument("--format", choices=[f.key for f in OUTPUT_FORMATS], default="nt")
    mapping.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    publishing = commands.add_parser(
        "publish",
        help="map, validate and publish datasets",
        description="Map every mapping in mappings/ (or those --include picks), validate "
        "them (SHACL, and the Data Cube integrity constraints for cubes) and publish them "
        "as one new release, all or nothing.",
    )
    publishing.add_argument(
        "mappings",
        nargs="*",
        type=Path,
        help="re-map only these mappings; the others reuse their last mapped output",
    )
    publishing.add_argument(
        "--include",
        metavar="GLOB",
        default="*.json",
        help="publish only the mappings whose file name matches GLOB, such as "
        "'geography-*' or '*.cube.json' (.json is added when GLOB does not end with it); "
        "the release holds only those (default: *.json)",
    )
    publishing.add_argument(
        "--build",
        metavar="DIR",
        type=Path,
        default=Path("var/build"),
        help="where mapped datasets are written (default: var/build)",
    )
    publishing.add_argument(
        "--workers",
        metavar="N",
        type=int,
        help="processes that map datasets, 0 to map in this one (default: one per core "
        "when there is enough to map)",
    )
    checking = commands.add_parser(
        "check",
        help="check one mapping against the live release, publishing nothing",
        description="Map one dataset and check it as a publish would (SHACL, the Data "
        "Cube integrity constraints, and that every area it names is published in the live "
        "release), without publishing anything; exits non-zero on the first error.",
    )
    checking.add_argument("mapping", type=Path, help="the mapping to check")
    checking.add_argument(
        "--build",
        metavar="DIR",
        type=Path,
        default=Path("var/build"),
        help="where mapped datasets are written (default: var/build; the check uses DIR/check)",
    )
    _new_parser(commands)
    deriving = commands.add_parser(
        "derive",
        help="compute the best-fit lookups and ward-level summaries under data/derived/",
        description="Assign Glasgow's data zones to wards (centroid in ward boundary) and "
        "Manchester's LSOAs to wards (the ONS best-fit lookup, checked against the ward "
        "boundaries), then summarise SIMD 2020 and IMD 2019 deciles by ward; writes CSVs "
        "for the mappings to publish, and reports what the two LSOA methods disagree on.",
    )
    deriving.add_argument(
        "--data", type=Path, default=Path("data"), help="the source data folder (default: data)"
    )
    deriving.add_argument(
        "--output",
        type=Path,
        help="where the derived tables go (default: the data folder's derived/)",
    )
    serving = commands.add_parser("serve", help="serve the published data over HTTP")
    serving.add_argument("--host", help="address to listen on (default ODC_HOST or 127.0.0.1)")
    serving.add_argument("--port", type=int, help="port (default ODC_PORT or 8000)")
    serving.add_argument(
        "--workers",
        metavar="N",
        type=_at_least_one,
        help="server processes sharing the port (default ODC_WORKERS or 1)",
    )
    serving.add_argument(
        "--publish-if-stale",
        action="store_true",
        help="publish first when nothing is published, the live release was published "
        "for another address, or a source is newer: the reference datasets before serving, "
        "the rest in the background (what make serve does)",
    )
    return parser


def _new_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser(
        "new",
        help="write a starting mapping for a CSV, to edit then publish",
        description="Guess a mapping from the CSV's header and first rows, with a note on "
        "each guess; an existing file is never overwritten.",
    )
    kinds = new.add_subparsers(dest="kind", required=True)
    for kind, what, default in (
        ("cube", "a cube description (statistics)", "mappings/NAME.cube.json"),
        ("table", "CSVW metadata (a plain table)", "mappings/NAME.json"),
    ):
        parser = kinds.add_parser(kind, help=f"write {what}")
        parser.add_argument("csv", type=Path, help="the CSV file")
        parser.add_argument(
            "-o", "--output", type=Path, help=f"where to write it (default: {default})"
        )


def _warn_to_stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def run_map(args: argparse.Namespace) -> None:
    """``odc map``: convert and write, atomically when writing to a file."""
    job = Job(
        input=args.input,
        base_url=args.base_url,
        metadata=args.metadata,
        link_header=args.link_header,
        minimal=args.minimal,
        provenance=not args.no_prov,
    )
    report = Reporter(strict=args.strict, sink=_warn_to_stderr)
    lines = map_to_rdf(job, report)
    fmt = output_format(args.format)
    if args.output is None:
        sys.stdout.flush()
        write_rdf(lines, sys.stdout.buffer, fmt)
        sys.stdout.buffer.flush()
        return
    _write_atomically(lines, args.output, fmt)


def _write_atomically(lines: Iterable[str], target: Path, fmt: WebFormat) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            write_rdf(lines, out, fmt)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def run_publish(args: argparse.Namespace) -> None:
    """``odc publish``: all or nothing; progress goes to stderr."""
    # Imported here, as in run_serve, so that ``odc map`` does not load what it never uses.
    from opendatacommunities.publish import Layout, publish

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    include = args.include if args.include.endswith(".json") else f"{args.include}.json"
    layout = Layout(build=args.build, include=include)
    publish(
        _settings(),
        layout,
        only=args.mappings,
        progress=progress,
        workers=args.workers,
        debug=args.debug,
    )


def run_check(args: argparse.Namespace) -> None:
    """``odc check``: map and check one dataset as ``odc publish`` would; progress and
    errors go to stderr."""
    from opendatacommunities.publish import Layout, check

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    check(_settings(), Layout(build=args.build), args.mapping, progress=progress, debug=args.debug)


def run_new(args: argparse.Namespace) -> None:
    """``odc new cube|table``: a starting mapping for a CSV, never over an existing file."""
    from opendatacommunities.publish.scaffold import new_cube, new_table

    write = new_cube if args.kind == "cube" else new_table
    target = write(args.csv, args.output)
    print(f"wrote {target}: check each guess, then publish it", file=sys.stderr)


def run_derive(args: argparse.Namespace) -> None:
    """``odc derive``: write the derived tables; what was assigned and what disagrees goes
    to stderr."""
    from opendatacommunities.places.derivation import derive
    from opendatacommunities.places.tables import tables, write

    derived = derive(args.data)
    written = write(tables(derived), args.output or args.data / "derived")
    _say(f"{len(derived.data_zones):,} Glasgow data zones assigned to wards by centroid")
    disagreeing = derived.disagreements
    _say(
        f"{len(derived.lsoas):,} Manchester LSOAs: best-fit ward and boundary check disagree "
        f"on {len(disagreeing):,}"
    )
    for item in disagreeing:
        _say(
            f"  {item.code}: best fit {item.best_fit}, centroid in {item.by_boundary or 'no ward'}"
        )
    _say(f"wrote {len(written)} tables in {written[0].parent}")


def run_serve(args: argparse.Namespace) -> None:
    """``odc serve``: the web app on ODC_HOST:ODC_PORT, after publishing what is stale
    when asked to."""
    from opendatacommunities.publish import Layout
    from opendatacommunities.publish.freshness import bring_up_to_date, served_settings, stop
    from opendatacommunities.web.server import serve

    chosen = {"host": args.host, "port": args.port, "workers": args.workers}
    settings = _settings(**{name: value for name, value in chosen.items() if value is not None})
    background = None
    if args.publish_if_stale:
        background = bring_up_to_date(settings, Layout(), _say)
    try:
        serve(served_settings(settings, _warn_to_stderr))
    finally:
        stop(background)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``odc``; return the exit status (``python -m opendatacommunities.cli``)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "map":
            run_map(args)
        elif args.command == "publish":
            run_publish(args)
        elif args.command == "check":
            run_check(args)
        elif args.command == "derive":
            run_derive(args)
        elif args.command == "new":
            run_new(args)
        elif args.command == "serve":
            run_serve(args)
    except OdcError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def entry() -> None:
    """Console script entry point."""
    try:
        sys.exit(main())
    except BrokenPipeError:
        # The reader went away (``odc map x.json | head``): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    entry()

"""The project's errors and the exit codes the README documents.

Every error the program expects to meet derives from `CchcError` and carries its exit
code, so the command line maps an error to a code without knowing where it came from.
`str(error)` is one line that names the file or setting and the reason.
"""

from abc import ABCMeta

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


class CchcError(Exception, metaclass=ABCMeta):
    """An expected failure: a one-line message for the user and the command's exit code."""
    exit_code = EXIT_FAILED


class UsageError(CchcError):
    """A command-line argument the program cannot use."""
    exit_code = EXIT_USAGE


class SettingsError(UsageError, ValueError):
    """A setting has a value the program cannot use; the message names it."""

    def __init__(self, message: str, setting: str | None = None):
        super().__init__(message)
        self.setting = setting


class BusyError(CchcError):
    """Another process holds the store; try again when it has finished."""
    exit_code = EXIT_BUSY


def exit_code(error: BaseException) -> int:
    return getattr(error, "exit_code", EXIT_FAILED) if is_expected(error) else EXIT_FAILED


def is_expected(error: BaseException) -> bool:
    """An error whose message is for the user as is (no exception name, no traceback)."""
    _register_pure_layer()
    return isinstance(error, CchcError)


def _register_pure_layer() -> None:
    """transforms/ imports nothing of cchc/ (imports run one way), so its errors cannot
    derive from CchcError; they are registered as such (exit code 1). Imported here, when
    an error is being reported, not at start-up: validation pulls in polars."""
    from transforms.catalog import CatalogError
    from transforms.read.decode import UnreadableFile
    from transforms.extract.article import ExtractionError
    from transforms.validate.validation import SuiteError
    for cls in (CatalogError, UnreadableFile, ExtractionError, SuiteError):
        CchcError.register(cls)

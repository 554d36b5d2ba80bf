"""Typed errors of the Yeastar client: errcode != 0 becomes an `ApiError` with the PBX's errmsg."""

from __future__ import annotations


class YeastarError(Exception):
    """Anything that went wrong talking to the PBX; the message is safe to show (no secrets)."""


class Unreachable(YeastarError):
    """Network / TLS failure, a timeout or an HTTP error status: the PBX did not answer."""


class RequestTimedOut(Unreachable):
    """No answer in time: the request may or may not have been carried out."""


class BadResponse(YeastarError):
    """The PBX answered something that is not the documented JSON."""


class ApiError(YeastarError):
    """`errcode` != 0. `errmsg` is the PBX's own text (shown literally, sanitised by the UI)."""

    def __init__(self, endpoint: str, errcode: int, errmsg: str, fields: tuple[str, ...] = ()):
        detail = f" ({', '.join(fields)})" if fields else ""
        super().__init__(f"{endpoint}: {errmsg or 'FAILURE'} [errcode {errcode}]{detail}")
        self.endpoint = endpoint
        self.errcode = errcode
        self.errmsg = errmsg
        self.fields = fields


class AuthFailed(ApiError):
    """get_token refused the Client ID / Secret."""


class TokenExpired(ApiError):
    """10004: the access (or refresh) token is no longer valid."""


class AccessDenied(ApiError):
    """10005: no permission (for call/transfer: the dial_permission extension)."""


class ParameterError(ApiError):
    """40001 / 40002: wrong syntax or an invalid parameter (e.g. the number)."""


class NotFound(ApiError):
    """60001: the data (e.g. the channel) does not exist."""


class LimitReached(ApiError):
    """60002: too many valid tokens (or other items) at once."""


_BY_CODE: dict[int, type[ApiError]] = {
    10004: TokenExpired,
    10005: AccessDenied,
    40001: ParameterError,
    40002: ParameterError,
    60001: NotFound,
    60002: LimitReached,
}


def api_error(endpoint: str, errcode: int, errmsg: str, fields: tuple[str, ...] = ()) -> ApiError:
    kind = _BY_CODE.get(errcode, ApiError)
    if endpoint == "get_token" and errcode == -1:
        kind = AuthFailed
    return kind(endpoint, errcode, errmsg, fields)

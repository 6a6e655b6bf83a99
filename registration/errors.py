from core.errors import DomainError


class RegionUnknownError(DomainError):
    code = "region_unknown"
    status_code = 400

from core.errors import DomainError, InvalidInputError


class AdminRolesConflictError(DomainError):
    """三员分立: one account may hold only one of the system, security and audit roles."""

    code = "admin_roles_conflict"
    status_code = 400


class RoleAssignmentNotAllowedError(DomainError):
    code = "role_assignment_not_allowed"
    status_code = 403


class UsernameTakenError(InvalidInputError):
    code = "username_taken"

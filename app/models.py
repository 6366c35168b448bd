"""Imports every model module so SQLAlchemy's metadata (and Alembic) knows all tables."""
from app.accounts import models as accounts_models  # noqa: F401
from app.catalog import models as catalog_models  # noqa: F401
from app.chats import models as chats_models  # noqa: F401
from app.core import audit, outbox  # noqa: F401
from app.kb import models as kb_models  # noqa: F401
from app.tickets import models as tickets_models  # noqa: F401
from app.workdays import models as workdays_models  # noqa: F401

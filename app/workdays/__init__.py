"""The Indonesian working-day calendar behind the help desk's legal deadlines."""

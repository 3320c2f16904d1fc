"""Object stores (filesystem | S3), chosen in ``factory.build_object_store``."""

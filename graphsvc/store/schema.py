"""The SQLite schema, as a list of forward migrations.

``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``; the version lives in
``PRAGMA user_version``. Never edit a released migration: append a new one.
"""

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('revision', '0');

    CREATE TABLE places (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('region', 'borough', 'ward')),
        name TEXT NOT NULL,
        code TEXT NOT NULL,
        parent_id TEXT REFERENCES places(id)
    );
    CREATE TABLE sectors (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        category TEXT NOT NULL
    );
    CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        place_id TEXT REFERENCES places(id),
        scope TEXT NOT NULL CHECK (scope IN ('local', 'regional', 'national')),
        type TEXT NOT NULL CHECK (type IN ('vcse', 'statutory', 'other'))
    );
    CREATE TABLE organisation_sectors (
        organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
        sector_id TEXT NOT NULL REFERENCES sectors(id),
        PRIMARY KEY (organisation_id, sector_id)
    ) WITHOUT ROWID;
    CREATE TABLE organisation_aliases (
        alias TEXT PRIMARY KEY,
        organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT,
        lived_experience TEXT NOT NULL
            CHECK (lived_experience IN ('none', 'lived_experience', 'carer')),
        consent TEXT NOT NULL CHECK (consent IN ('named', 'aggregate', 'withdrawn')),
        expertise TEXT NOT NULL DEFAULT '',
        place_id TEXT REFERENCES places(id)
    );
    CREATE TABLE employments (
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
        role TEXT NOT NULL DEFAULT '',
        seniority TEXT NOT NULL CHECK (seniority IN ('senior', 'staff')),
        PRIMARY KEY (person_id, organisation_id)
    ) WITHOUT ROWID;
    CREATE TABLE communities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        domain TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL CHECK (scope IN ('national', 'place')),
        place_id TEXT REFERENCES places(id),
        started TEXT
    );
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        community_id TEXT NOT NULL REFERENCES communities(id),
        title TEXT NOT NULL,
        held_on TEXT NOT NULL,
        place_id TEXT REFERENCES places(id),
        online INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sessions_by_community ON sessions(community_id);
    CREATE TABLE attendance (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        organisation_id TEXT REFERENCES organisations(id),
        minutes INTEGER,
        role TEXT NOT NULL
            CHECK (role IN ('organiser', 'facilitator', 'presenter', 'attendee')),
        PRIMARY KEY (session_id, person_id)
    ) WITHOUT ROWID;
    CREATE INDEX attendance_by_person ON attendance(person_id);
    CREATE TABLE declared_ties (
        source_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        weight REAL NOT NULL DEFAULT 1,
        declared_on TEXT,
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (source_id, target_id)
    ) WITHOUT ROWID;
    CREATE TABLE imports (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        loaded_at TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX imports_by_hash ON imports(sha256);
    """,
    # 2: undoable imports, sticky merges, and the review list of uncertain matches
    """
    ALTER TABLE attendance ADD COLUMN import_id TEXT;
    ALTER TABLE people ADD COLUMN created_by TEXT;
    ALTER TABLE organisations ADD COLUMN created_by TEXT;
    ALTER TABLE sessions ADD COLUMN created_by TEXT;
    ALTER TABLE communities ADD COLUMN created_by TEXT;
    ALTER TABLE declared_ties ADD COLUMN import_id TEXT;
    ALTER TABLE imports ADD COLUMN undone_at TEXT;
    CREATE TABLE import_files (
        import_id TEXT NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        rows INTEGER NOT NULL DEFAULT 0,
        archive TEXT,
        PRIMARY KEY (import_id, sha256)
    ) WITHOUT ROWID;
    CREATE INDEX import_files_by_hash ON import_files(sha256);
    CREATE INDEX attendance_by_import ON attendance(import_id);
    CREATE TABLE person_aliases (
        alias TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES people(id) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE TABLE match_reviews (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        new_id TEXT NOT NULL,
        candidate_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
        score REAL NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'confirmed', 'rejected')),
        import_id TEXT,
        UNIQUE (new_id, candidate_id)
    );
    """,
    # 2: people erased at their request, by id only, so a later import cannot bring them back
    """
    CREATE TABLE forgotten (id TEXT PRIMARY KEY, erased_at TEXT NOT NULL) WITHOUT ROWID;
    """,
]

LATEST = len(MIGRATIONS)

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
    # 3: people erased at their request, by id only, so a later import cannot bring them back
    """
    CREATE TABLE forgotten (id TEXT PRIMARY KEY, erased_at TEXT NOT NULL) WITHOUT ROWID;
    """,
    # 4: facts become claims (graphsvc.rules): each import's word on each thing, kept apart and
    # folded when read, so that undo is exact and the order of imports does not matter. The
    # facts already held become claims of the import that first wrote them ('legacy' when no
    # import did; 'reference' for places and sectors), stamped as the weakest evidence.
    """
    CREATE TABLE places_claims (id TEXT NOT NULL, import_id TEXT NOT NULL, kind TEXT,
        name TEXT, name_at TEXT, code TEXT, parent_id TEXT, parent_id_at TEXT,
        PRIMARY KEY (id, import_id)) WITHOUT ROWID;
    CREATE TABLE sectors_claims (id TEXT NOT NULL, import_id TEXT NOT NULL, name TEXT,
        name_at TEXT, category TEXT, category_at TEXT,
        PRIMARY KEY (id, import_id)) WITHOUT ROWID;
    CREATE TABLE organisations_claims (id TEXT NOT NULL, import_id TEXT NOT NULL, name TEXT,
        name_at TEXT, sector_ids TEXT, place_id TEXT, place_id_at TEXT, scope TEXT, type TEXT,
        aliases TEXT, PRIMARY KEY (id, import_id)) WITHOUT ROWID;
    CREATE TABLE people_claims (id TEXT NOT NULL, import_id TEXT NOT NULL, name TEXT,
        name_at TEXT, email TEXT, lived_experience TEXT, consent TEXT, consent_at TEXT,
        expertise TEXT, place_id TEXT, place_id_at TEXT,
        PRIMARY KEY (id, import_id)) WITHOUT ROWID;
    CREATE TABLE employments_claims (person_id TEXT NOT NULL, organisation_id TEXT NOT NULL,
        import_id TEXT NOT NULL, role TEXT, role_at TEXT, seniority TEXT,
        PRIMARY KEY (person_id, organisation_id, import_id)) WITHOUT ROWID;
    CREATE TABLE communities_claims (id TEXT NOT NULL, import_id TEXT NOT NULL, name TEXT,
        name_at TEXT, domain TEXT, domain_at TEXT, scope TEXT, scope_at TEXT, place_id TEXT,
        place_id_at TEXT, started TEXT, PRIMARY KEY (id, import_id)) WITHOUT ROWID;
    CREATE TABLE sessions_claims (id TEXT NOT NULL, import_id TEXT NOT NULL,
        community_id TEXT, title TEXT, title_at TEXT, held_on TEXT, place_id TEXT,
        place_id_at TEXT, online INTEGER, PRIMARY KEY (id, import_id)) WITHOUT ROWID;
    CREATE TABLE attendance_claims (session_id TEXT NOT NULL, person_id TEXT NOT NULL,
        import_id TEXT NOT NULL, organisation_id TEXT, minutes INTEGER, role TEXT,
        PRIMARY KEY (session_id, person_id, import_id)) WITHOUT ROWID;
    CREATE TABLE declared_ties_claims (source_id TEXT NOT NULL, target_id TEXT NOT NULL,
        import_id TEXT NOT NULL, weight REAL, declared_on TEXT, note TEXT, note_at TEXT,
        PRIMARY KEY (source_id, target_id, import_id)) WITHOUT ROWID;

    INSERT INTO places_claims SELECT id, 'reference', kind, name, '10000-00-00', code,
        parent_id, CASE WHEN parent_id IS NULL THEN NULL ELSE '10000-00-00' END FROM places;
    INSERT INTO sectors_claims SELECT id, 'reference', name, '10000-00-00', category,
        '10000-00-00' FROM sectors;
    INSERT INTO organisations_claims SELECT o.id, coalesce(o.created_by, 'legacy'), o.name,
        '00000-00-00',
        (SELECT CASE WHEN count(*) THEN json_group_array(sector_id) END
         FROM (SELECT sector_id FROM organisation_sectors s WHERE s.organisation_id = o.id
               ORDER BY 1)),
        o.place_id, CASE WHEN o.place_id IS NULL THEN NULL ELSE '00000-00-00' END,
        o.scope, o.type,
        (SELECT CASE WHEN count(*) THEN json_group_array(alias) END
         FROM (SELECT alias FROM organisation_aliases a WHERE a.organisation_id = o.id
               ORDER BY 1))
        FROM organisations o;
    INSERT INTO people_claims SELECT id, coalesce(created_by, 'legacy'), name, '00000-00-00',
        email, lived_experience, consent, '00000-00-00',
        CASE WHEN expertise = '' THEN NULL
            ELSE '[' || replace(json_quote(expertise), ';', '","') || ']' END,
        place_id, CASE WHEN place_id IS NULL THEN NULL ELSE '00000-00-00' END FROM people;
    INSERT INTO employments_claims SELECT person_id, organisation_id,
        coalesce((SELECT created_by FROM people p WHERE p.id = person_id), 'legacy'),
        nullif(role, ''), CASE WHEN role = '' THEN NULL ELSE '00000-00-00' END, seniority
        FROM employments;
    INSERT INTO communities_claims SELECT id, coalesce(created_by, 'legacy'), name,
        '00000-00-00', nullif(domain, ''), CASE WHEN domain = '' THEN NULL ELSE '00000-00-00'
        END, scope, '00000-00-00', place_id, CASE WHEN place_id IS NULL THEN NULL ELSE '00000-00-00' END,
        started FROM communities;
    INSERT INTO sessions_claims SELECT id, coalesce(created_by, 'legacy'), community_id,
        title, '00000-00-00', held_on, place_id,
        CASE WHEN place_id IS NULL THEN NULL ELSE '00000-00-00' END, online FROM sessions;
    INSERT INTO attendance_claims SELECT session_id, person_id, coalesce(import_id, 'legacy'),
        organisation_id, minutes, role FROM attendance;
    INSERT INTO declared_ties_claims SELECT source_id, target_id,
        coalesce(import_id, 'legacy'), weight, declared_on, nullif(note, ''),
        CASE WHEN note = '' THEN NULL ELSE '00000-00-00' END FROM declared_ties;

    CREATE TABLE match_reviews_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
        new_id TEXT NOT NULL, candidate_id TEXT NOT NULL, score REAL NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'confirmed', 'rejected')),
        import_id TEXT, UNIQUE (new_id, candidate_id));
    INSERT INTO match_reviews_new SELECT id, name, new_id, candidate_id, score, status,
        import_id FROM match_reviews;
    CREATE TABLE person_aliases_new (alias TEXT PRIMARY KEY, person_id TEXT NOT NULL)
        WITHOUT ROWID;
    INSERT INTO person_aliases_new SELECT alias, person_id FROM person_aliases;
    DROP TABLE match_reviews;
    DROP TABLE person_aliases;
    DROP TABLE attendance;
    DROP TABLE declared_ties;
    DROP TABLE employments;
    DROP TABLE organisation_sectors;
    DROP TABLE organisation_aliases;
    DROP TABLE sessions;
    DROP TABLE communities;
    DROP TABLE people;
    DROP TABLE organisations;
    DROP TABLE sectors;
    DROP TABLE places;
    ALTER TABLE match_reviews_new RENAME TO match_reviews;
    ALTER TABLE person_aliases_new RENAME TO person_aliases;
    CREATE INDEX places_claims_by_import ON places_claims(import_id);
    CREATE INDEX organisations_claims_by_import ON organisations_claims(import_id);
    CREATE INDEX people_claims_by_import ON people_claims(import_id);
    CREATE INDEX employments_claims_by_import ON employments_claims(import_id);
    CREATE INDEX employments_claims_by_organisation ON employments_claims(organisation_id);
    CREATE INDEX communities_claims_by_import ON communities_claims(import_id);
    CREATE INDEX sessions_claims_by_import ON sessions_claims(import_id);
    CREATE INDEX declared_ties_claims_by_import ON declared_ties_claims(import_id);
    CREATE INDEX declared_ties_claims_by_target ON declared_ties_claims(target_id);
    """,
    # 5: a file is a repeat only when loaded with the same options that define its sessions
    # (graphsvc.service.planning.load_options); files loaded before keep '' (options unknown)
    """
    CREATE TABLE import_files_v5 (
        import_id TEXT NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        source TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        format TEXT NOT NULL,
        rows INTEGER NOT NULL DEFAULT 0,
        archive TEXT,
        options TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (import_id, sha256, options)
    ) WITHOUT ROWID;
    INSERT INTO import_files_v5 (import_id, source, sha256, format, rows, archive)
        SELECT import_id, source, sha256, format, rows, archive FROM import_files;
    DROP TABLE import_files;
    ALTER TABLE import_files_v5 RENAME TO import_files;
    CREATE INDEX import_files_by_hash ON import_files(sha256);
    """,
]

LATEST = len(MIGRATIONS)

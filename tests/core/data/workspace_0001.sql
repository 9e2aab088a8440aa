BEGIN TRANSACTION;
CREATE TABLE analysis_revisions (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    text TEXT NOT NULL,
    sheet TEXT,
    source TEXT NOT NULL,
    author TEXT NOT NULL,
    model TEXT,
    parent_id INTEGER REFERENCES analysis_revisions(id),
    created_at TEXT NOT NULL
);
INSERT INTO "analysis_revisions" VALUES(1,'Klasse/arslan-deniz','Fehleranalyse
Gesamt: 10/20',NULL,'teacher','Frau Keller',NULL,NULL,'2026-11-29T22:05:32.829942+00:00');
CREATE TABLE cache (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    exam TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('student', 'task')),
    source TEXT NOT NULL,
    source_hash TEXT NOT NULL DEFAULT '',
    typed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
INSERT INTO "documents" VALUES('Klasse/arslan-deniz','Klasse','student','Klasse/arslan-deniz.pdf','',0,'2026-11-29T22:05:32.829131+00:00','2026-11-29T22:05:32.829131+00:00');
INSERT INTO "documents" VALUES('Klasse/typed-tom','Klasse','student','Klasse/typed-tom.txt','',1,'2026-11-29T22:05:32.830010+00:00','2026-11-29T22:05:32.830010+00:00');
CREATE TABLE exam_sheets (
    id INTEGER PRIMARY KEY,
    exam TEXT NOT NULL,
    sheet TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    n_records INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    stage TEXT NOT NULL,
    path TEXT NOT NULL,
    document_id TEXT,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    backend TEXT NOT NULL,
    model TEXT NOT NULL,
    status TEXT NOT NULL,
    result_model TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE ocr_results (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id),
    engine TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO "ocr_results" VALUES(1,1,'tesseract','{"engine":"tesseract","lines":[{"words":[{"text":"Luther","conf":60.0,"bbox":[100,200,220,240],"flagged":false},{"text":"hat","conf":60.0,"bbox":[235,200,295,240],"flagged":false},{"text":"Thesen","conf":60.0,"bbox":[310,200,430,240],"flagged":false}],"bbox":[100,200,445,240],"block":0,"polygon":[],"baseline":[],"layer":"student","conf":-1.0},{"words":[{"text":"an","conf":60.0,"bbox":[100,260,140,300],"flagged":false},{"text":"die","conf":60.0,"bbox":[155,260,215,300],"flagged":false},{"text":"Tur?","conf":60.0,"bbox":[230,260,310,300],"flagged":true},{"text":"geschlagen","conf":60.0,"bbox":[325,260,525,300],"flagged":false}],"bbox":[100,260,540,300],"block":0,"polygon":[],"baseline":[],"layer":"student","conf":-1.0},{"words":[{"text":"im","conf":60.0,"bbox":[100,320,140,360],"flagged":false},{"text":"Jahr","conf":60.0,"bbox":[155,320,235,360],"flagged":false},{"text":"1517","conf":60.0,"bbox":[250,320,330,360],"flagged":false}],"bbox":[100,320,345,360],"block":0,"polygon":[],"baseline":[],"layer":"student","conf":-1.0}],"marks":[],"teacher_text":"","width":1000,"height":1400,"steps":[],"warnings":[]}','2026-11-29T22:05:32.829458+00:00');
INSERT INTO "ocr_results" VALUES(2,2,'tesseract','{"engine":"tesseract","lines":[{"words":[{"text":"Die","conf":60.0,"bbox":[100,200,160,240],"flagged":false},{"text":"Bauern","conf":60.0,"bbox":[175,200,295,240],"flagged":false}],"bbox":[100,200,310,240],"block":0,"polygon":[],"baseline":[],"layer":"student","conf":-1.0},{"words":[{"text":"zogen","conf":60.0,"bbox":[100,260,200,300],"flagged":false},{"text":"los","conf":60.0,"bbox":[215,260,275,300],"flagged":false}],"bbox":[100,260,290,300],"block":0,"polygon":[],"baseline":[],"layer":"student","conf":-1.0}],"marks":[],"teacher_text":"","width":0,"height":0,"steps":[],"warnings":[]}','2026-11-29T22:05:32.829822+00:00');
INSERT INTO "ocr_results" VALUES(3,3,'tesseract','{"engine":"tesseract","lines":[],"marks":[],"teacher_text":"","width":0,"height":0,"steps":[],"warnings":[]}','2026-11-29T22:05:32.829883+00:00');
INSERT INTO "ocr_results" VALUES(4,4,'typed','{"engine":"typed","lines":[{"words":[{"text":"Getippt","conf":100.0,"bbox":[0,0,0,0],"flagged":false}],"bbox":[0,0,0,0],"block":0,"polygon":[],"baseline":[],"layer":"student","conf":-1.0}],"marks":[],"teacher_text":"","width":0,"height":0,"steps":[],"warnings":[]}','2026-11-29T22:05:32.830096+00:00');
CREATE TABLE page_reviews (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id),
    reviewed INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO "page_reviews" VALUES(1,1,1,'Frau Keller','2026-11-29T22:05:32.829741+00:00');
CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id),
    number INTEGER NOT NULL,
    image TEXT NOT NULL DEFAULT '',
    original TEXT NOT NULL DEFAULT '',
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    source_hash TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (document_id, number)
);
INSERT INTO "pages" VALUES(1,'Klasse/arslan-deniz',1,'pages/a-1.png','',1000,1400,'','2026-11-29T22:05:32.829357+00:00');
INSERT INTO "pages" VALUES(2,'Klasse/arslan-deniz',2,'pages/a-2.png','',0,0,'','2026-11-29T22:05:32.829793+00:00');
INSERT INTO "pages" VALUES(3,'Klasse/arslan-deniz',3,'pages/a-3.png','',0,0,'','2026-11-29T22:05:32.829866+00:00');
INSERT INTO "pages" VALUES(4,'Klasse/typed-tom',1,'','',0,0,'','2026-11-29T22:05:32.830074+00:00');
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
INSERT INTO "schema_migrations" VALUES(1,'0001_initial','2026-11-29T22:05:32.822554+00:00');
CREATE TABLE text_revisions (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id),
    layer TEXT NOT NULL CHECK (layer IN ('student', 'teacher')),
    text TEXT NOT NULL,
    source TEXT NOT NULL,
    author TEXT NOT NULL,
    parent_id INTEGER REFERENCES text_revisions(id),
    created_at TEXT NOT NULL
);
INSERT INTO "text_revisions" VALUES(1,1,'student','Luther hat Thesen
an die Tür geschlagen
im Jahr 1517','review','Frau Keller',NULL,'2026-11-29T22:05:32.829575+00:00');
INSERT INTO "text_revisions" VALUES(2,1,'student','1B
Luther hat Thesen
an die Tür geschlagen
im Jahr 1517
','review','Frau Keller',1,'2026-11-29T22:05:32.829657+00:00');
INSERT INTO "text_revisions" VALUES(3,1,'teacher','Randbemerkung: gut','review','Frau Keller',NULL,'2026-11-29T22:05:32.829703+00:00');
CREATE TABLE uploads (
    content_hash TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    file_id TEXT NOT NULL,
    filename TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (content_hash, endpoint)
);
CREATE INDEX documents_exam ON documents(exam);
CREATE INDEX ocr_results_page ON ocr_results(page_id);
CREATE INDEX text_revisions_page ON text_revisions(page_id, layer);
CREATE INDEX analysis_revisions_document ON analysis_revisions(document_id);
CREATE TRIGGER text_revisions_no_update BEFORE UPDATE ON text_revisions
BEGIN SELECT RAISE(ABORT, 'text_revisions is append-only'); END;
CREATE TRIGGER text_revisions_no_delete BEFORE DELETE ON text_revisions
BEGIN SELECT RAISE(ABORT, 'text_revisions is append-only'); END;
CREATE TRIGGER analysis_revisions_no_update BEFORE UPDATE ON analysis_revisions
BEGIN SELECT RAISE(ABORT, 'analysis_revisions is append-only'); END;
CREATE TRIGGER analysis_revisions_no_delete BEFORE DELETE ON analysis_revisions
BEGIN SELECT RAISE(ABORT, 'analysis_revisions is append-only'); END;
CREATE TRIGGER exam_sheets_no_update BEFORE UPDATE ON exam_sheets
BEGIN SELECT RAISE(ABORT, 'exam_sheets is append-only'); END;
CREATE TRIGGER exam_sheets_no_delete BEFORE DELETE ON exam_sheets
BEGIN SELECT RAISE(ABORT, 'exam_sheets is append-only'); END;
CREATE TRIGGER ocr_results_no_update BEFORE UPDATE ON ocr_results
BEGIN SELECT RAISE(ABORT, 'ocr_results is append-only'); END;
CREATE TRIGGER ocr_results_no_delete BEFORE DELETE ON ocr_results
BEGIN SELECT RAISE(ABORT, 'ocr_results is append-only'); END;
CREATE TRIGGER page_reviews_no_update BEFORE UPDATE ON page_reviews
BEGIN SELECT RAISE(ABORT, 'page_reviews is append-only'); END;
CREATE TRIGGER page_reviews_no_delete BEFORE DELETE ON page_reviews
BEGIN SELECT RAISE(ABORT, 'page_reviews is append-only'); END;
COMMIT;

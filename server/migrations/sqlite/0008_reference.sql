-- Reference data the operators publish over the bundled snapshot (today: the 服务机构 list), with a
-- version every instance compares against the one it has installed.
CREATE TABLE reference (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    body TEXT NOT NULL
);

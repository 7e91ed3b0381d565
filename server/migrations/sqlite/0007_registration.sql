-- The 失业登记 as it stands (registered address, 户口性质, qualification), sealed: what
-- 失业登记信息变更 starts from.
ALTER TABLE records ADD COLUMN registration_json TEXT;

-- The evidence of a person's consent kept with each application: which 用户通知 and 集成服务承诺书
-- they accepted and when (JSON; NULL for applications sent without it).
ALTER TABLE applications ADD COLUMN consent_json TEXT;

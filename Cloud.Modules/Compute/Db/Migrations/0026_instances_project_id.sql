-- EC2's DescribeInstances lists a project's instances by id. instances_project (project_id, deleted) and
-- instances_project_created keep a project's rows in other orders, so SQLite sorted all of them, 36 columns each
-- (USE TEMP B-TREE FOR ORDER BY). An index on project_id alone holds them in rowid order, which is id order.
CREATE INDEX IF NOT EXISTS instances_project_id ON instances (project_id);

-- Every built-in column leads somewhere real (issue 19): the platform's services are columns that link to
-- their pages, and the guide columns are grouped under 信用服务 so the navigation fits on a phone.
-- Columns an administrator already pointed elsewhere keep their target.

INSERT INTO site_columns (code, name, sort_order, kind, description, link_path) VALUES
    ('credit', '信用信息查询', 0, 'service', '按名称或统一社会信用代码查询企业、个体工商户的公共信用信息。', '/credit'),
    ('services', '信用服务', 6, 'service', '信用承诺、信用修复、异议申诉和信用报告的办理指南。', NULL),
    ('help', '帮助中心', 13, 'service', '常见问题、咨询留言和答复查询。', '/help'),
    ('stats', '信用统计', 14, 'service', '双公示等信用信息的统计分析。', '/stats')
    ON CONFLICT (code) DO NOTHING;

UPDATE site_columns SET link_path = '/credit/lists/penalties' WHERE code = 'publicity' AND link_path IS NULL;
UPDATE site_columns SET link_path = '/credit/lists/red' WHERE code = 'lists' AND link_path IS NULL;
UPDATE site_columns SET link_path = '/help/consult', name = '咨询留言' WHERE code = 'consult' AND link_path IS NULL;

-- The guides sit under 信用服务, the forms under 办事指南, the consultation and the FAQ (0013 put it
-- under 咨询) under the help centre: columns have two levels at most.
UPDATE site_columns SET parent_code = 'help' WHERE parent_code = 'consult';
UPDATE site_columns SET parent_code = 'services'
    WHERE code IN ('commitment', 'repair', 'objection', 'report') AND parent_code IS NULL;
UPDATE site_columns SET parent_code = 'guide' WHERE code = 'download' AND parent_code IS NULL;
UPDATE site_columns SET parent_code = 'help' WHERE code = 'consult' AND parent_code IS NULL;

//! Word lists and reference tables behind the demo generator.

/// Roles of docs/domain.md §2: (code, name, admin class for 三员分立).
pub const ROLES: &[(&str, &str, Option<&str>)] = &[
    ("subject", "信用主体账户", None),
    ("clerk", "信源单位经办人", None),
    ("county", "区县用户", None),
    ("cms_editor", "网站采编", None),
    ("cms_reviewer", "网站审核", None),
    ("cms_publisher", "网站发布", None),
    ("operator", "信用办业务人员", None),
    ("system_admin", "系统管理员", Some("system")),
    ("security_admin", "安全管理员", Some("security")),
    ("audit_admin", "审计管理员", Some("audit")),
];

/// Portal columns of docs/domain.md §13, in display order.
pub const COLUMNS: &[(&str, &str)] = &[
    ("news", "信用动态"),
    ("notice", "通知公告"),
    ("policy", "政策法规"),
    ("publicity", "双公示"),
    ("lists", "红黑名单"),
    ("commitment", "信用承诺"),
    ("repair", "信用修复"),
    ("objection", "异议申诉"),
    ("report", "信用报告"),
    ("guide", "办事指南"),
    ("consult", "咨询"),
    ("download", "下载"),
];

pub struct Dept {
    pub code: &'static str,
    pub name: &'static str,
    /// Abbreviation used in decision numbers, e.g. 湘西市监罚〔2025〕12号.
    pub abbr: &'static str,
    pub county: &'static str,
}

impl Dept {
    /// The full legal name: 湘西州 is short for 湘西土家族苗族自治州 (county governments have none).
    pub fn full_name(&self) -> Option<String> {
        self.name
            .contains("湘西州")
            .then(|| self.name.replace("湘西州", "湘西土家族苗族自治州"))
    }

    /// Other ways units write the department (docs/domain.md §6.4), `;`-separated as stored.
    pub fn aliases(&self) -> String {
        let mut forms = vec![self.name.to_string()];
        if self.name.contains("市场监督管理局") {
            forms.push(self.name.replace("市场监督管理局", "市场监管局"));
        }
        let mut out: Vec<String> = vec![];
        for f in &forms {
            if f != self.name {
                out.push(f.clone());
            }
            if f.contains("湘西州") {
                out.push(f.replace("湘西州", "湘西自治州"));
            }
            if let Some(rest) = f.strip_prefix("湘西州") {
                out.push(format!("州{rest}"));
            }
        }
        if let Some(rest) = self.name.strip_prefix("国家税务总局") {
            out.push(rest.to_string());
        }
        out.join(";")
    }
}

pub const DEPARTMENTS: &[Dept] = &[
    Dept {
        code: "scjg",
        name: "湘西州市场监督管理局",
        abbr: "湘西市监",
        county: "433100",
    },
    Dept {
        code: "sw",
        name: "国家税务总局湘西州税务局",
        abbr: "湘西税",
        county: "433100",
    },
    Dept {
        code: "sthj",
        name: "湘西州生态环境局",
        abbr: "湘西环",
        county: "433100",
    },
    Dept {
        code: "zjj",
        name: "湘西州住房和城乡建设局",
        abbr: "湘西建",
        county: "433100",
    },
    Dept {
        code: "jt",
        name: "湘西州交通运输局",
        abbr: "湘西交",
        county: "433100",
    },
    Dept {
        code: "zrzy",
        name: "湘西州自然资源和规划局",
        abbr: "湘西自然资源",
        county: "433100",
    },
    Dept {
        code: "wjw",
        name: "湘西州卫生健康委员会",
        abbr: "湘西卫健",
        county: "433100",
    },
    Dept {
        code: "yjgl",
        name: "湘西州应急管理局",
        abbr: "湘西应急",
        county: "433100",
    },
    Dept {
        code: "nync",
        name: "湘西州农业农村局",
        abbr: "湘西农",
        county: "433100",
    },
    Dept {
        code: "wlgd",
        name: "湘西州文化旅游广电局",
        abbr: "湘西文旅",
        county: "433100",
    },
    Dept {
        code: "rsj",
        name: "湘西州人力资源和社会保障局",
        abbr: "湘西人社",
        county: "433100",
    },
    Dept {
        code: "gaj",
        name: "湘西州公安局",
        abbr: "湘西公",
        county: "433100",
    },
    Dept {
        code: "fy",
        name: "湘西州中级人民法院",
        abbr: "湘西中法",
        county: "433100",
    },
    Dept {
        code: "slj",
        name: "湘西州水利局",
        abbr: "湘西水",
        county: "433100",
    },
    Dept {
        code: "lyj",
        name: "湘西州林业局",
        abbr: "湘西林",
        county: "433100",
    },
    Dept {
        code: "ybj",
        name: "湘西州医疗保障局",
        abbr: "湘西医保",
        county: "433100",
    },
    Dept {
        code: "fgw",
        name: "湘西州发展和改革委员会",
        abbr: "湘西发改",
        county: "433100",
    },
    Dept {
        code: "jss",
        name: "吉首市人民政府",
        abbr: "吉政",
        county: "433101",
    },
    Dept {
        code: "fhx",
        name: "凤凰县人民政府",
        abbr: "凤政",
        county: "433123",
    },
    Dept {
        code: "lsx",
        name: "龙山县人民政府",
        abbr: "龙政",
        county: "433130",
    },
];

/// The first department: the default where a code is unknown. An empty table fails the build here.
pub const FIRST_DEPARTMENT: &Dept = match DEPARTMENTS {
    [first, ..] => first,
    [] => panic!("the seed catalogue has no departments"),
};

/// Place words by county code, used at the start of organisation names.
pub const PLACES: &[(&str, &str)] = &[
    ("433101", "吉首"),
    ("433122", "泸溪"),
    ("433123", "凤凰"),
    ("433124", "花垣"),
    ("433125", "保靖"),
    ("433126", "古丈"),
    ("433127", "永顺"),
    ("433130", "龙山"),
    ("433100", "湘西"),
];

pub const TOWNS: &[&str] = &[
    "乾州",
    "峒河",
    "沱江",
    "廖家桥",
    "浦市",
    "武溪",
    "边城",
    "迁陵",
    "默戎",
    "灵溪",
    "芙蓉",
    "石牌",
    "里耶",
    "民安",
];

pub const BRAND_CHARS: &[&str] = &[
    "金", "鑫", "华", "盛", "苗", "峒", "酉", "武陵", "沱", "楚", "湘", "恒", "锦", "兴", "隆",
    "达", "丰", "源", "泰", "瑞", "宏", "远", "福", "康", "绿", "青", "云", "山", "溪", "银", "德",
    "和", "众", "新", "永", "嘉", "正", "诚",
];

pub const TRADES: &[&str] = &[
    "腊肉食品",
    "茶业",
    "旅游开发",
    "建筑工程",
    "矿业",
    "农业科技",
    "苗绣文化",
    "酒业",
    "物流",
    "商贸",
    "餐饮管理",
    "生态农业",
    "建材",
    "医药",
    "文化传媒",
    "电子商务",
    "房地产开发",
    "水电开发",
    "猕猴桃产业",
    "椪柑产业",
    "劳务",
    "运输",
    "装饰工程",
    "环保科技",
    "网络科技",
    "酒店管理",
    "民宿",
    "服饰",
    "中药材",
    "畜牧",
];

pub const SHOPS: &[&str] = &[
    "米粉店",
    "小吃店",
    "便利店",
    "五金店",
    "农资店",
    "客栈",
    "烧烤店",
    "副食店",
    "服装店",
    "理发店",
    "药店",
    "汽车修理店",
    "手机店",
    "茶叶店",
    "银饰店",
];

pub const SURNAMES: &[&str] = &[
    "张", "王", "李", "刘", "杨", "彭", "向", "田", "龙", "石", "吴", "麻", "滕", "符", "梁", "黄",
    "周", "陈", "胡", "唐",
];

pub const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "桂花", "建华", "志强", "海燕", "玉兰", "德明", "光辉",
];

/// (department code, decision document, 许可类别, certificate, content, years valid; 0 = 长期).
pub const LICENCES: &[(&str, &str, &str, &str, &str, i32)] = &[
    (
        "scjg",
        "食品经营许可决定书",
        "普通",
        "食品经营许可证",
        "预包装食品（含冷藏冷冻食品）销售；散装食品销售",
        5,
    ),
    (
        "scjg",
        "营业执照准予设立登记通知书",
        "登记",
        "营业执照",
        "准予设立登记",
        0,
    ),
    (
        "scjg",
        "食品生产许可决定书",
        "普通",
        "食品生产许可证",
        "肉制品（腌腊肉制品）生产",
        5,
    ),
    (
        "sthj",
        "排污许可决定书",
        "普通",
        "排污许可证",
        "大气污染物、水污染物排放",
        5,
    ),
    (
        "zjj",
        "建筑工程施工许可决定书",
        "普通",
        "建筑工程施工许可证",
        "新建厂房及配套设施工程施工",
        1,
    ),
    (
        "zjj",
        "建筑业企业资质核准决定书",
        "核准",
        "建筑业企业资质证书",
        "建筑工程施工总承包三级",
        5,
    ),
    (
        "jt",
        "道路运输经营许可决定书",
        "普通",
        "道路运输经营许可证",
        "道路普通货物运输",
        4,
    ),
    (
        "wlgd",
        "旅行社业务经营许可决定书",
        "特许",
        "旅行社业务经营许可证",
        "境内旅游业务",
        0,
    ),
    (
        "wjw",
        "公共场所卫生许可决定书",
        "普通",
        "卫生许可证",
        "住宿业公共场所卫生许可",
        4,
    ),
    (
        "yjgl",
        "安全生产许可决定书",
        "普通",
        "安全生产许可证",
        "非煤矿山开采",
        3,
    ),
    (
        "nync",
        "农药经营许可决定书",
        "普通",
        "农药经营许可证",
        "农药（不含限制使用农药）经营",
        5,
    ),
    (
        "lyj",
        "林木采伐许可决定书",
        "普通",
        "林木采伐许可证",
        "商品林采伐",
        1,
    ),
    (
        "slj",
        "取水许可决定书",
        "普通",
        "取水许可证",
        "地表水取水",
        5,
    ),
];

/// (department code, 违法行为类型, 违法事实, 处罚依据).
pub const VIOLATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "scjg",
        "销售不符合食品安全标准的食品",
        "当事人销售的腊肉经抽检菌落总数不符合食品安全标准。",
        "《中华人民共和国食品安全法》第一百二十四条",
    ),
    (
        "scjg",
        "未按规定公示营业执照",
        "当事人未在经营场所醒目位置悬挂营业执照。",
        "《中华人民共和国市场主体登记管理条例》第四十八条",
    ),
    (
        "scjg",
        "虚假宣传",
        "当事人在网店宣传“百年老字号”无事实依据。",
        "《中华人民共和国反不正当竞争法》第二十条",
    ),
    (
        "sw",
        "未按期进行纳税申报",
        "当事人未按照规定的期限办理增值税纳税申报。",
        "《中华人民共和国税收征收管理法》第六十二条",
    ),
    (
        "sthj",
        "超标排放大气污染物",
        "当事人锅炉废气颗粒物排放浓度超过排放标准。",
        "《中华人民共和国大气污染防治法》第九十九条",
    ),
    (
        "sthj",
        "未批先建",
        "当事人建设项目环境影响评价文件未经批准擅自开工建设。",
        "《中华人民共和国环境影响评价法》第三十一条",
    ),
    (
        "zjj",
        "未取得施工许可证擅自施工",
        "当事人未取得施工许可证擅自开工建设。",
        "《建筑工程施工许可管理办法》第十二条",
    ),
    (
        "jt",
        "超限运输",
        "当事人车辆车货总重超过限定标准在公路上行驶。",
        "《公路安全保护条例》第六十四条",
    ),
    (
        "yjgl",
        "未按规定开展安全生产教育培训",
        "当事人未对从业人员进行安全生产教育和培训。",
        "《中华人民共和国安全生产法》第九十七条",
    ),
    (
        "wlgd",
        "未经许可经营旅行社业务",
        "当事人未取得旅行社业务经营许可招徕游客。",
        "《中华人民共和国旅游法》第九十五条",
    ),
    (
        "wjw",
        "未取得卫生许可证经营",
        "当事人未取得公共场所卫生许可证擅自营业。",
        "《公共场所卫生管理条例实施细则》第三十五条",
    ),
    (
        "zrzy",
        "非法占用土地",
        "当事人未经批准占用集体土地建设厂房。",
        "《中华人民共和国土地管理法》第七十七条",
    ),
    (
        "lyj",
        "滥伐林木",
        "当事人超过林木采伐许可证规定数量采伐林木。",
        "《中华人民共和国森林法》第七十六条",
    ),
    (
        "rsj",
        "拖欠劳动者工资",
        "当事人拖欠劳动者工资经责令限期支付逾期未支付。",
        "《保障农民工工资支付条例》第五十五条",
    ),
];

/// Penalty category sets with weights (out of 100).
pub const CATEGORY_SETS: &[(&[&str], u32)] = &[
    (&["罚款"], 45),
    (&["警告", "罚款"], 15),
    (&["罚款", "没收违法所得"], 15),
    (&["警告"], 8),
    (&["通报批评"], 3),
    (&["责令停产停业", "罚款"], 6),
    (&["吊销许可证件"], 4),
    (&["限制开展生产经营活动", "罚款"], 4),
];

/// (column code, title, summary).
pub const ARTICLES: &[(&str, &str, &str)] = &[
    (
        "news",
        "湘西州召开2026年社会信用体系建设工作推进会",
        "会议总结了今年以来全州信用体系建设成效，部署下一阶段重点任务。",
    ),
    (
        "news",
        "凤凰县开展“信用+旅游”专项行动",
        "以信用承诺和信用监管为抓手，规范旅游市场秩序。",
    ),
    (
        "news",
        "吉首市推行信用报告代替无违法违规证明",
        "企业可通过平台申请专项信用报告，减少跑腿。",
    ),
    (
        "news",
        "州市场监管局完成双公示数据质量专项整治",
        "对照国家标准逐项核查行政许可和行政处罚数据。",
    ),
    (
        "notice",
        "关于开展2026年度信用修复集中服务月活动的通知",
        "集中受理行政处罚信息信用修复申请，提供一对一指导。",
    ),
    (
        "notice",
        "关于做好行政许可和行政处罚信息7个工作日内公示的通知",
        "各信源单位应在决定作出之日起7个工作日内报送。",
    ),
    (
        "notice",
        "湘西州公共信用信息平台系统维护公告",
        "平台将于周六凌晨进行例行维护，期间部分功能暂停。",
    ),
    (
        "policy",
        "湘西州失信惩戒措施基础清单（2026年版）",
        "依法依规明确失信惩戒措施的实施主体和依据。",
    ),
    (
        "policy",
        "湘西州信用修复管理办法",
        "规范信用修复的条件、材料、流程和时限。",
    ),
    (
        "policy",
        "关于进一步完善信用承诺制度的实施意见",
        "推行审批替代型、主动型、信用修复型和行业自律型信用承诺。",
    ),
    (
        "news",
        "龙山县建立重点领域信用分级分类监管机制",
        "按信用风险等级实施差异化监管。",
    ),
    (
        "news",
        "泸溪县开展诚信经营示范街创建",
        "引导商户作出诚信经营承诺。",
    ),
];

"""People for the demo: names, parties, workplaces and private numbers, all invented.

Names are drawn from tables of common surnames and given-name characters; mobile and ID numbers
are well formed (an ID number even carries a correct check digit, so that a stricter validator
would accept it) but are generated, not anyone's.
"""

from __future__ import annotations

import random

from members.models import Member

# Common surnames, weighted roughly by how often they occur in Anhui and Shandong.
SURNAMES = (
    "王" * 9
    + "李" * 8
    + "张" * 8
    + "刘" * 6
    + "陈" * 5
    + "杨" * 4
    + "赵" * 3
    + "黄" * 3
    + "周" * 3
    + "吴" * 3
    + "徐" * 3
    + "孙" * 3
    + "胡" * 2
    + "朱" * 2
    + "高" * 2
    + "林"
    + "何"
    + "郭" * 2
    + "马" * 2
    + "罗"
    + "梁"
    + "宋" * 2
    + "郑"
    + "谢"
    + "韩"
    + "唐"
    + "冯"
    + "于" * 2
    + "董"
    + "萧"
    + "程" * 2
    + "曹"
    + "袁"
    + "邓"
    + "许"
    + "傅"
    + "沈"
    + "曾"
    + "彭"
    + "吕"
    + "苏"
    + "卢"
    + "蒋"
    + "蔡"
    + "贾"
    + "丁"
    + "魏"
    + "薛"
    + "叶"
    + "阎"
    + "余"
    + "潘"
    + "杜"
    + "戴"
    + "夏"
    + "钟"
    + "汪" * 2
    + "田"
    + "任"
    + "姜"
    + "范"
    + "方"
    + "石"
    + "姚"
    + "谭"
    + "廖"
    + "邹"
    + "熊"
    + "金"
    + "陆"
    + "郝"
    + "孔"
    + "白"
    + "崔"
    + "康"
    + "毛"
    + "邱"
    + "秦"
    + "江"
    + "史"
    + "顾"
    + "侯"
    + "邵"
    + "孟"
    + "龙"
    + "万"
    + "段"
    + "钱"
    + "汤"
    + "尹"
    + "黎"
    + "易"
    + "常"
    + "武"
    + "乔"
    + "贺"
    + "赖"
    + "龚"
    + "文"
    + "陶" * 2
    + "桂"
    + "储"
    + "章"
)
MALE_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新"
    "利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐"
    "绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽"
    "晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
)
FEMALE_CHARS = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香"
    "月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓"
    "纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥"
)

# The eight democratic parties' sectors, and the party their members belong to.
PARTY_OF_SECTOR = {
    "中共界": Member.Party.CPC,
    "民革界": Member.Party.RCCK,
    "民盟界": Member.Party.CDL,
    "民建界": Member.Party.CNDCA,
    "民进界": Member.Party.CAPD,
    "农工党界": Member.Party.CPWDP,
    "九三学社界": Member.Party.JIUSAN,
    "无党派人士界": Member.Party.NON_PARTY,
}
# Everyone else: party members, the non-party, the masses, and now and then a party member
# sitting for a sector other than their party's.
OTHER_PARTIES = [
    (Member.Party.CPC, 46),
    (Member.Party.NON_PARTY, 18),
    (Member.Party.MASSES, 22),
    (Member.Party.CDL, 3),
    (Member.Party.CNDCA, 3),
    (Member.Party.CAPD, 3),
    (Member.Party.CPWDP, 2),
    (Member.Party.JIUSAN, 2),
    (Member.Party.ZHI_GONG, 1),
]
# How a member's party reads in a biography (stored text, so not left to translations).
PARTY_NAMES = {
    Member.Party.CPC: "中共党员",
    Member.Party.RCCK: "民革党员",
    Member.Party.CDL: "民盟盟员",
    Member.Party.CNDCA: "民建会员",
    Member.Party.CAPD: "民进会员",
    Member.Party.CPWDP: "农工党党员",
    Member.Party.ZHI_GONG: "致公党党员",
    Member.Party.JIUSAN: "九三学社社员",
    Member.Party.TDSGL: "台盟盟员",
    Member.Party.NON_PARTY: "无党派人士",
    Member.Party.MASSES: "群众",
}
LEVEL_NAMES = {Member.Level.CITY: "市级委员", Member.Level.PROVINCE: "省级委员"}
# Share of women per sector (default 0.3).
WOMEN_SHARE = {"妇联界": 0.9, "医药卫生界": 0.45, "教育体育界": 0.45, "文化艺术界": 0.4}

# Workplaces and titles per sector: (workplace, title, expertise). {county} is the short county
# name (含山县), {town} the member's home area, {firm} an invented company name.
PROFILES: dict[str, list[tuple[str, str, str]]] = {
    "中共界": [
        ("{town}党委", "党委书记", "基层治理"),
        ("{town}人民政府", "镇长", "乡村振兴"),
        ("{county}发展和改革委员会", "主任", "项目建设"),
        ("{county}农业农村局", "副局长", "农业农村"),
        ("{county}住房和城乡建设局", "局长", "城乡建设"),
        ("{county}财政局", "副局长", "财政管理"),
        ("{town}党委", "党委副书记", "基层党建"),
        ("{county}委党校", "副校长", "理论宣讲"),
    ],
    "民革界": [
        ("{county}第一中学", "高级教师", "历史教学"),
        ("{county}人民医院", "主治医师", "内科"),
        ("{firm}", "总经理", "企业管理"),
        ("{county}自然资源局", "工程师", "国土规划"),
    ],
    "民盟界": [
        ("{county}第二中学", "副校长", "教育管理"),
        ("{county}文化馆", "馆员", "群众文化"),
        ("{county}实验小学", "一级教师", "语文教学"),
        ("{county}职业教育中心", "高级讲师", "职业教育"),
    ],
    "民建界": [
        ("{firm}", "董事长", "企业经营"),
        ("{county}农村商业银行", "副行长", "金融"),
        ("{county}税务局", "科长", "税收"),
        ("{firm}", "财务总监", "财务会计"),
    ],
    "民进界": [
        ("{county}实验学校", "高级教师", "数学教学"),
        ("{county}图书馆", "馆长", "阅读推广"),
        ("{county}融媒体中心", "记者", "新闻宣传"),
        ("{town}中心学校", "校长", "教育管理"),
    ],
    "农工党界": [
        ("{county}人民医院", "主任医师", "心血管内科"),
        ("{county}中医院", "副主任医师", "中医内科"),
        ("{county}妇幼保健院", "主治医师", "儿科"),
        ("{county}疾病预防控制中心", "副主任", "公共卫生"),
    ],
    "九三学社界": [
        ("{county}农业技术推广中心", "高级农艺师", "作物栽培"),
        ("{firm}", "技术总监", "机械设计"),
        ("{county}气象局", "工程师", "气象服务"),
    ],
    "无党派人士界": [
        ("{county}人民医院", "副院长", "外科"),
        ("{county}律师事务所", "主任律师", "民商事诉讼"),
        ("{county}第一中学", "高级教师", "物理教学"),
        ("{firm}", "总经理", "企业管理"),
    ],
    "共青团界": [
        ("共青团{county}委员会", "书记", "青年工作"),
        ("{firm}", "总经理", "电子商务"),
        ("{town}{village}", "村党支部书记", "乡村治理"),
        ("{county}青年创业协会", "会长", "创业指导"),
    ],
    "工会界": [
        ("{county}总工会", "副主席", "职工维权"),
        ("{firm}", "工会主席", "劳动关系"),
        ("{firm}", "车间主任", "生产管理"),
        ("{county}供电公司", "班长", "电力运维"),
    ],
    "妇联界": [
        ("{county}妇女联合会", "主席", "妇女儿童工作"),
        ("{town}{community}", "社区党委书记", "社区治理"),
        ("{firm}", "总经理", "农产品加工"),
        ("{county}婚姻家庭指导中心", "主任", "家庭教育"),
    ],
    "工商联界": [
        ("{firm}", "董事长", "企业经营"),
        ("{firm}", "总经理", "市场营销"),
        ("{county}工商业联合会", "副主席", "民营经济"),
        ("{firm}", "执行董事", "投资管理"),
    ],
    "科技科协界": [
        ("{county}科学技术协会", "主席", "科普"),
        ("{firm}", "研发部经理", "智能制造"),
        ("{county}农业技术推广中心", "推广研究员", "植物保护"),
        ("{county}数据资源局", "工程师", "信息化"),
    ],
    "经济界": [
        ("{county}农村商业银行", "行长", "金融"),
        ("{firm}", "董事长", "企业经营"),
        ("{county}统计局", "副局长", "经济统计"),
        ("{firm}", "总经理", "物流"),
        ("{county}商务局", "科长", "商贸流通"),
    ],
    "农业界": [
        ("{town}{village}", "村党总支书记", "乡村振兴"),
        ("{county}{firm_farm}", "理事长", "稻虾种养"),
        ("{county}农业技术推广中心", "高级农艺师", "作物栽培"),
        ("{town}家庭农场", "场主", "粮食种植"),
        ("{county}{firm_farm}", "理事长", "苗木花卉"),
    ],
    "教育体育界": [
        ("{county}第一中学", "校长", "教育管理"),
        ("{town}中心学校", "校长", "教育管理"),
        ("{county}实验小学", "高级教师", "小学教育"),
        ("{county}体育运动学校", "教练员", "体育训练"),
        ("{county}第二中学", "高级教师", "英语教学"),
    ],
    "文化艺术界": [
        ("{county}文化馆", "馆长", "群众文化"),
        ("{county}博物馆", "副研究馆员", "文物保护"),
        ("{county}书法家协会", "主席", "书法"),
        ("{county}{opera}", "演员", "地方戏曲"),
        ("{county}融媒体中心", "编辑", "新闻采编"),
    ],
    "医药卫生界": [
        ("{county}人民医院", "主任医师", "心血管内科"),
        ("{county}中医院", "副院长", "针灸推拿"),
        ("{town}卫生院", "院长", "全科医学"),
        ("{county}妇幼保健院", "副主任医师", "妇产科"),
        ("{county}疾病预防控制中心", "主管医师", "慢病管理"),
        ("{county}人民医院", "护士长", "护理"),
    ],
    "社会福利和社会保障界": [
        ("{county}民政局", "副局长", "社会救助"),
        ("{county}人力资源和社会保障局", "科长", "社会保险"),
        ("{county}医疗保障局", "副局长", "医保政策"),
        ("{town}敬老院", "院长", "养老服务"),
        ("{county}残疾人联合会", "理事长", "助残服务"),
        ("{county}养老服务中心", "主任", "养老服务"),
    ],
    "特邀界": [
        ("{county}人民法院", "副院长", "审判"),
        ("{county}人民检察院", "检察官", "检察"),
        ("{county}律师事务所", "律师", "劳动争议"),
        ("{county}司法局", "副局长", "法治宣传"),
        ("{county}公安局", "副局长", "治安管理"),
        ("{county}信访局", "局长", "信访调处"),
    ],
}

# Workplaces for the members of featured workstations, by the workstation's tag.
TAG_PROFILES: dict[str, list[tuple[str, str, str]]] = {
    "build": [
        ("{firm_build}", "董事长", "建筑施工"),
        ("{firm_build}", "项目经理", "工程管理"),
        ("{county}建筑业协会", "会长", "行业管理"),
        ("{county}住房和城乡建设局", "高级工程师", "质量安全"),
    ],
    "law": [
        ("{county}律师事务所", "主任律师", "民商事诉讼"),
        ("{county}律师事务所", "律师", "劳动争议"),
        ("{county}人民法院", "审判员", "民事审判"),
        ("{county}公证处", "公证员", "公证"),
    ],
    "mfg": [
        ("{firm_mfg}", "董事长", "智能装备"),
        ("{firm_mfg}", "总工程师", "自动化"),
        ("{firm_mfg}", "财务总监", "供应链金融"),
        ("{county}农村商业银行", "副行长", "金融"),
    ],
    "labour": [
        ("{county}总工会", "主席", "职工维权"),
        ("{firm}", "工会主席", "劳动关系"),
        ("{firm}", "高级技师", "技能传承"),
    ],
    "heritage": [
        ("{county}博物馆", "馆长", "考古"),
        ("{county}文物管理所", "所长", "文物保护"),
        ("{county}文化馆", "副馆长", "非遗保护"),
        ("{county}第一中学", "高级教师", "地方史"),
    ],
    "enterprise": [
        ("{firm}", "董事长", "企业经营"),
        ("{county}工商业联合会", "副主席", "民营经济"),
        ("{county}数据资源局", "副局长", "政务服务"),
        ("{firm}", "总经理", "外贸"),
    ],
    "eldercare": [
        ("{county}养老服务中心", "主任", "养老服务"),
        ("{town}敬老院", "院长", "养老服务"),
        ("{county}中医院", "主任医师", "老年病"),
        ("{county}民政局", "科长", "养老政策"),
    ],
}

FIRM_WORDS = [
    "恒通", "兴华", "永盛", "金鼎", "宏远", "瑞丰", "安达", "德信", "鑫源", "汇川", "华越", "嘉禾",
    "润泽", "天成", "长青", "盛和",
]  # fmt: skip
FIRM_KINDS = [
    "电子商务有限公司",
    "食品有限公司",
    "物流有限公司",
    "新材料有限公司",
    "纺织有限公司",
    "农业科技有限公司",
    "商贸有限公司",
    "汽车零部件有限公司",
]
FARM_KINDS = ["稻虾种养专业合作社", "苗木花卉专业合作社", "粮食种植专业合作社", "茶叶专业合作社"]
VILLAGES = [
    "新桥村",
    "双塘村",
    "长岗村",
    "高湖村",
    "团结村",
    "黄墩村",
    "前进村",
    "枫林村",
    "梅山村",
    "杨桥村",
    "兴隆村",
    "丰收村",
    "柳庄村",
    "石桥村",
    "光明村",
    "红星村",
    "大庄村",
    "东岗村",
]
COMMUNITIES = [
    "东风社区",
    "文昌社区",
    "滨河社区",
    "朝阳社区",
    "建设路社区",
    "新华社区",
    "和平社区",
    "幸福里社区",
    "解放社区",
    "人民路社区",
]

MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """The check character of a resident ID number (GB 11643)."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


class PeopleFactory:
    """Draws names and private numbers for one run, never the same one twice."""

    def __init__(self, rng: random.Random, *, taken_mobiles: set[str], taken_ids: set[str]):
        self.rng = rng
        self.mobiles = taken_mobiles
        self.ids = taken_ids
        self.names: set[str] = set()

    def name(self, gender: str) -> str:
        chars = FEMALE_CHARS if gender == Member.Gender.FEMALE else MALE_CHARS
        for _attempt in range(200):
            given = self.rng.choice(chars)
            if self.rng.random() < 0.78:
                given += self.rng.choice(chars)
            name = self.rng.choice(SURNAMES) + given
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError("Ran out of names")  # pragma: no cover - tables are large enough

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.mobiles:
                self.mobiles.add(number)
                return number

    def id_number(self, *, area_code: str, birth_year: int, gender: str) -> str:
        while True:
            month = self.rng.randint(1, 12)
            day = self.rng.randint(1, 28)
            seq = self.rng.randrange(0, 99)
            # The ninth digit of the sequence is odd for men and even for women.
            sex_digit = self.rng.choice("13579" if gender == Member.Gender.MALE else "02468")
            first17 = f"{area_code}{birth_year:04d}{month:02d}{day:02d}{seq:02d}{sex_digit}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def firm(self, place: str, kind: str | None = None) -> str:
        return f"{place}{self.rng.choice(FIRM_WORDS)}{kind or self.rng.choice(FIRM_KINDS)}"

    def caller(self) -> str:
        """How a resident signs a message: a surname and a form of address, or nothing."""
        if self.rng.random() < 0.2:
            return ""
        return self.rng.choice(SURNAMES) + self.rng.choice(["女士", "先生", "阿姨", "大爷", "师傅"])

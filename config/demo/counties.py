"""The three demo counties, drawn from the background reading (seeds/ 000, 002 and 004).

含山 follows the figures of its report: 28 workstations and rooms (12 sector activity rooms,
7 featured workstations, one member workstation for each of the 8 towns and the development
zone), 4 village and community consultation rooms, 173 members. 惠民 and 铜官 are smaller and
shaped by what their reports describe. Names of places are real; everything else is invented.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from workstations.models import Area, Workstation

K = Workstation.Kind
C = Workstation.Category
A = Area.Kind


@dataclass(frozen=True)
class AreaSpec:
    name: str
    kind: str
    parent: str = ""


@dataclass(frozen=True)
class Story:
    """A consultation the background reading tells about, played out in full in the demo."""

    topic: str
    source: str  # Consultation.TopicSource value
    quarter: int  # 0 = the first quarter of this year
    outcome_kind: str  # Outcome.Kind value
    submitted_to: str
    adopted_by: str = ""
    # (level, leader's title, department named in the text)
    endorsement: tuple[str, str, str] | None = None
    # (department, measure, money in yuan or None)
    implemented: tuple[str, str, int | None] | None = None
    solved: bool = False
    typical_case: bool = False


@dataclass(frozen=True)
class WorkstationSpec:
    name: str
    slug: str
    kind: str
    category: str
    flavour: str
    area: str = ""
    sector: str = ""
    theme: str = ""
    # Featured rooms: the tag of their members' workplaces, the sectors they come from, how many.
    tag: str = ""
    draw: tuple[str, ...] = ()
    size: int = 0
    # Members' homes: how many members live in this workstation's area, relatively.
    home_weight: float = 0.0
    intro: str = ""
    address: str = ""
    stories: tuple[Story, ...] = ()
    # "lagging" or "stopped" forces a rhythm the board can show; "" lets chance decide.
    rhythm: str = ""


@dataclass(frozen=True)
class CountySpec:
    slug: str
    name: str
    short: str  # 含山县
    gov: str  # 县 or 区
    province: tuple[str, str]
    city: tuple[str, str]
    brand: str
    slogan: str
    colour: str
    intro: str
    address: str
    id_area_code: str
    centre: tuple[float, float]  # latitude, longitude of the seat
    seat: str
    opera: str
    firm_place: str  # how invented company names start: 含山…有限公司
    office: str  # the staff account's username
    areas: tuple[AreaSpec, ...]
    workstations: tuple[WorkstationSpec, ...]
    sector_members: dict[str, int]
    established: tuple[datetime.date, datetime.date]
    city_members: int
    province_members: int
    standing_share: float
    outlets: tuple[str, ...]
    leaders: dict[str, tuple[str, ...]]  # Endorsement.Level → leaders' titles
    party_government: str  # who sets topics (党政点题)
    submit_to: tuple[str, ...]
    bulletin_name: str
    bulletins: int
    research_reports: int = 0  # on top of those the workstations write
    research_to: str = ""
    public_opinion_per_ws: float = 1.0
    typical_case_share: float = 0.3
    consultation_media_share: float = 0.15
    city_endorsement_share: float = 0.15


def _sector_room(sector: str, slug: str, flavour: str, intro: str, area: str, **kw):
    return WorkstationSpec(
        name=f"{sector}活动室",
        slug=slug,
        kind=K.SECTOR_ROOM,
        category=C.SECTOR,
        flavour=flavour,
        sector=sector,
        area=area,
        intro=intro,
        **kw,
    )


# ---------------------------------------------------------------------------------------------
# 含山县政协 — “含您协商”
# ---------------------------------------------------------------------------------------------

HANSHAN_TOWNS = ["环峰镇", "运漕镇", "铜闸镇", "陶厂镇", "林头镇", "清溪镇", "仙踪镇", "昭关镇"]

HANSHAN = CountySpec(
    slug="hanshan",
    name="含山县政协",
    short="含山县",
    gov="县",
    province=("anhui", "安徽省政协"),
    city=("maanshan", "马鞍山市政协"),
    brand="含您协商",
    slogan="委员就在身边，协商就在家门口",
    colour="#b71c1c",
    intro=(
        "“含您协商”是含山县政协推动协商向基层延伸的工作品牌。全县8个镇和含山经济开发区实现"
        "委员工作室、界别活动室全覆盖，建成“两室”28家，另有4个村（社区）协商议事室；"
        "173名县政协委员就近入室，做到全员入室。各“两室”按照“一月一活动、一季一议事、"
        "一年一报告”的要求，常态开展微宣讲、微治理、微服务、微协商、微监督“五微”活动，"
        "把协商议事会开到群众家门口。"
    ),
    address="含山县环峰镇 县政协委员服务中心",
    id_area_code="340522",
    centre=(31.735, 118.106),
    seat="环峰镇",
    opera="庐剧团",
    firm_place="含山",
    office="hanshan_office",
    areas=(
        *(AreaSpec(t, A.TOWN) for t in HANSHAN_TOWNS),
        AreaSpec("含山经济开发区", A.DEVELOPMENT_ZONE),
        AreaSpec("青龙社区", A.COMMUNITY, "环峰镇"),
        AreaSpec("关镇社区", A.COMMUNITY, "林头镇"),
        AreaSpec("陶厂村", A.VILLAGE, "陶厂镇"),
        AreaSpec("运漕社区", A.COMMUNITY, "运漕镇"),
    ),
    workstations=(
        # One member workstation for each town and the development zone.
        WorkstationSpec(
            "环峰镇委员工作室",
            "huanfeng",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "community",
            area="环峰镇",
            home_weight=2.6,
            rhythm="strong",
        ),
        WorkstationSpec(
            "运漕镇委员工作室",
            "yuncao",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "town",
            area="运漕镇",
            home_weight=1.0,
        ),
        WorkstationSpec(
            "铜闸镇委员工作室",
            "tongzha",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "town",
            area="铜闸镇",
            home_weight=0.9,
            rhythm="lagging",
        ),
        WorkstationSpec(
            "陶厂镇委员工作室",
            "taochang",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "town",
            area="陶厂镇",
            home_weight=1.0,
            intro=(
                "陶厂镇委员工作室设在镇党群服务中心。陶厂自古有“门前协商、场基议事”的习惯，"
                "工作室把这份传统接过来，村里的事情摆到场基上、坐下来商量。"
            ),
            stories=(
                Story(
                    "农村“户户通”道路建设",
                    "residents",
                    0,
                    "consultation_report",
                    "陶厂镇党委、镇政府",
                    adopted_by="陶厂镇人民政府",
                    implemented=(
                        "陶厂镇人民政府",
                        "镇政府安排资金100万元，分两批完成户户通道路硬化",
                        1_000_000,
                    ),
                    solved=True,
                    typical_case=True,
                ),
            ),
        ),
        WorkstationSpec(
            "林头镇委员工作室",
            "lintou",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "town",
            area="林头镇",
            home_weight=1.0,
            stories=(
                Story(
                    "东关片区振兴发展",
                    "government",
                    0,
                    "consultation_report",
                    "县委办、县政府办",
                    adopted_by="县政府办公室",
                    endorsement=("county", "县长", "县发改委"),
                ),
                Story(
                    "福山红色文化品牌打造",
                    "members",
                    1,
                    "consultation_report",
                    "县委宣传部、县文旅局",
                    adopted_by="县文旅局",
                ),
            ),
        ),
        WorkstationSpec(
            "清溪镇委员工作室",
            "qingxi",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "town",
            area="清溪镇",
            home_weight=0.9,
        ),
        WorkstationSpec(
            "仙踪镇委员工作室",
            "xianzong",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "town",
            area="仙踪镇",
            home_weight=0.9,
            stories=(
                Story(
                    "大城墩遗址申报全国重点文物保护单位",
                    "members",
                    0,
                    "public_opinion",
                    "省政协",
                    adopted_by="安徽省政协",
                    endorsement=("county", "县委书记", "县文旅局"),
                    implemented=(
                        "县文旅局",
                        "成立由县委主要负责同志任组长的领导小组，县政府安排专项资金用于遗址保护利用",
                        3_000_000,
                    ),
                ),
            ),
        ),
        WorkstationSpec(
            "昭关镇委员工作室",
            "zhaoguan",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "town",
            area="昭关镇",
            home_weight=0.9,
            rhythm="stopped",
        ),
        WorkstationSpec(
            "含山经济开发区委员工作室",
            "kaifaqu",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "zone",
            area="含山经济开发区",
            home_weight=1.2,
        ),
        # Twelve sector activity rooms.
        _sector_room(
            "医药卫生界",
            "yiyao",
            "medical",
            "由医药卫生界委员组成，常年开展送医送药、健康义诊。",
            "环峰镇",
            stories=(
                Story(
                    "县域紧密型医共体建设",
                    "government",
                    0,
                    "consultation_report",
                    "县委办、县政府办",
                    adopted_by="县卫健委",
                    endorsement=("county", "县长", "县卫健委"),
                    implemented=(
                        "县卫健委",
                        "医共体牵头医院向乡镇卫生院派驻专家，检查结果互认",
                        None,
                    ),
                ),
            ),
        ),
        _sector_room(
            "教育体育界",
            "jiaoyu",
            "education",
            "由教育体育界委员组成，关注城乡教育均衡发展。",
            "环峰镇",
            stories=(
                Story(
                    "城乡学校共同体建设",
                    "members",
                    1,
                    "consultation_report",
                    "县委办、县政府办",
                    adopted_by="县教育局",
                ),
            ),
        ),
        _sector_room(
            "经济界", "jingji", "economy", "由经济界委员组成，围绕县域经济建言献策。", "环峰镇"
        ),
        _sector_room(
            "农业界", "nongye", "agriculture", "由农业界委员组成，把协商开到田间地头。", "运漕镇"
        ),
        _sector_room(
            "妇联界",
            "fulian",
            "women",
            "由妇联界委员组成，服务妇女儿童和家庭。",
            "环峰镇",
            stories=(
                Story(
                    "农村家风家教建设",
                    "members",
                    1,
                    "consultation_report",
                    "县妇联、县委宣传部",
                    adopted_by="县妇联",
                    solved=True,
                ),
            ),
        ),
        _sector_room(
            "工商联界",
            "gongshanglian",
            "business",
            "由工商联界委员组成，服务民营企业发展。",
            "含山经济开发区",
        ),
        _sector_room(
            "文化艺术界",
            "wenhua",
            "culture",
            "由文化艺术界委员组成，送文化下乡、传承地方文脉。",
            "环峰镇",
        ),
        _sector_room(
            "社会福利和社会保障界",
            "shebao",
            "welfare",
            "由社会福利和社会保障界委员组成，关注养老、社保和困难群众救助。",
            "环峰镇",
            stories=(
                Story(
                    "推进农村养老服务创新、打造农村养老服务改革样板",
                    "members",
                    0,
                    "consultation_report",
                    "县委、县政府",
                    adopted_by="县民政局",
                    endorsement=("county", "县委书记", "县民政局"),
                    implemented=(
                        "县民政局",
                        "县主要负责同志带队调研，农村互助养老服务点建设纳入年度民生实事",
                        2_000_000,
                    ),
                ),
            ),
        ),
        _sector_room(
            "科技科协界",
            "keji",
            "science",
            "由科技科协界委员组成，推动科技成果和科普资源下乡。",
            "环峰镇",
            rhythm="lagging",
        ),
        _sector_room(
            "共青团界", "gongqingtuan", "youth", "由共青团界委员组成，服务青年创业就业。", "环峰镇"
        ),
        _sector_room(
            "工会界", "gonghui", "labour", "由工会界委员组成，为职工群众办实事。", "含山经济开发区"
        ),
        _sector_room(
            "无党派人士界",
            "wudangpai",
            "nonparty",
            "由无党派人士界委员组成，发挥专业优势参与社会治理。",
            "环峰镇",
        ),
        # Seven featured workstations.
        WorkstationSpec(
            "鲁班委员工作室",
            "luban",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "build",
            area="环峰镇",
            theme="建筑业",
            tag="build",
            draw=("经济界", "工商联界", "科技科协界"),
            size=7,
            intro="以建筑行业委员为主体，名字取自匠人鲁班，聚焦建筑业高质量发展和农房建设安全。",
            stories=(
                Story(
                    "建筑业高质量发展",
                    "members",
                    0,
                    "consultation_report",
                    "县委办、县政府办",
                    adopted_by="县住建局",
                    implemented=("县住建局", "出台支持本地建筑企业资质升级和开拓市场的措施", None),
                ),
            ),
        ),
        WorkstationSpec(
            "法润吴楚委员工作室",
            "farun",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "law",
            area="含山经济开发区",
            theme="法律服务",
            tag="law",
            draw=("特邀界", "无党派人士界", "民革界"),
            size=6,
            intro="由法律界委员组成，含山地处吴头楚尾，工作室以“法润吴楚”为名，常年开展以案释法和矛盾调处。",
        ),
        WorkstationSpec(
            "卓越智造委员工作室",
            "zhizao",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "mfg",
            area="含山经济开发区",
            theme="智能制造",
            tag="mfg",
            draw=("工商联界", "经济界", "民建界"),
            size=6,
            intro="由装备制造企业和金融界委员组成，围绕智能装备产业链开展协商。",
            stories=(
                Story(
                    "智能装备产业供应链金融",
                    "members",
                    0,
                    "consultation_report",
                    "县政府",
                    adopted_by="县政府办公室",
                    implemented=(
                        "县财政局",
                        "促成全县首个智能装备产业供应链金融服务平台上线运行",
                        None,
                    ),
                    solved=True,
                    typical_case=True,
                ),
            ),
        ),
        WorkstationSpec(
            "职工之家委员工作室",
            "zhigong",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "labour",
            area="环峰镇",
            theme="职工服务",
            tag="labour",
            draw=("工会界", "妇联界", "社会福利和社会保障界"),
            size=6,
            intro="设在县职工服务中心，为职工和困难家庭办实事，关爱残疾儿童是工作室的长期项目。",
            stories=(
                Story(
                    "残疾儿童关爱服务",
                    "residents",
                    1,
                    "consultation_report",
                    "县残联、县总工会",
                    adopted_by="县残联",
                    solved=True,
                ),
            ),
        ),
        WorkstationSpec(
            "凌家滩文脉委员工作室",
            "lingjiatan",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "heritage",
            area="铜闸镇",
            theme="文化遗产",
            tag="heritage",
            draw=("文化艺术界", "民盟界", "民进界"),
            size=6,
            intro="凌家滩遗址是含山的文化名片。工作室由文博、文化界委员组成，研究挖掘“和合”文化。",
        ),
        WorkstationSpec(
            "亲清护企委员工作室",
            "huqi",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "enterprise",
            area="含山经济开发区",
            theme="营商环境",
            tag="enterprise",
            draw=("工商联界", "民建界", "经济界"),
            size=6,
            rhythm="lagging",
            intro="搭建委员、企业和部门面对面的平台，收集企业诉求，推动政策落地。",
        ),
        WorkstationSpec(
            "颐养含山委员工作室",
            "yiyang",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "eldercare",
            area="环峰镇",
            theme="养老服务",
            tag="eldercare",
            draw=("社会福利和社会保障界", "医药卫生界", "农工党界"),
            size=6,
            intro="关注农村养老和医养结合，委员定期走访敬老院和居家老人。",
        ),
        # Four village and community consultation rooms.
        WorkstationSpec(
            "关镇社区协商议事室",
            "guanzhen",
            K.CONSULTATION_ROOM,
            C.AREA,
            "village",
            area="关镇社区",
            size=5,
        ),
        WorkstationSpec(
            "青龙社区协商议事室",
            "qinglong",
            K.CONSULTATION_ROOM,
            C.AREA,
            "community",
            area="青龙社区",
            size=5,
        ),
        WorkstationSpec(
            "陶厂村场基协商议事室",
            "changji",
            K.CONSULTATION_ROOM,
            C.AREA,
            "village",
            area="陶厂村",
            size=4,
            theme="场基议事",
        ),
        WorkstationSpec(
            "运漕社区协商议事室",
            "yuncao-shequ",
            K.CONSULTATION_ROOM,
            C.AREA,
            "village",
            area="运漕社区",
            size=4,
        ),
    ),
    sector_members={
        "中共界": 14,
        "民革界": 5,
        "民盟界": 6,
        "民建界": 6,
        "民进界": 6,
        "农工党界": 6,
        "九三学社界": 4,
        "无党派人士界": 8,
        "共青团界": 6,
        "工会界": 7,
        "妇联界": 8,
        "工商联界": 12,
        "科技科协界": 7,
        "经济界": 14,
        "农业界": 12,
        "教育体育界": 12,
        "文化艺术界": 8,
        "医药卫生界": 12,
        "社会福利和社会保障界": 8,
        "特邀界": 12,
    },
    established=(datetime.date(2023, 5, 10), datetime.date(2023, 10, 30)),
    city_members=9,
    province_members=3,
    standing_share=0.16,
    outlets=("含山县融媒体中心", "马鞍山日报", "含山政协微信公众号", "人民政协报"),
    leaders={
        "county": ("县委书记", "县长", "县委副书记", "县委常委、常务副县长", "副县长"),
        "city": ("市委副书记", "市政协主席", "副市长"),
        "province": ("省政协副主席",),
    },
    party_government="县委、县政府",
    submit_to=("县委办、县政府办", "县政协办公室", "{town}党委、政府", "{department}"),
    bulletin_name="“含您协商”信息专报",
    bulletins=25,
    public_opinion_per_ws=1.2,
    typical_case_share=0.3,
)

# ---------------------------------------------------------------------------------------------
# 惠民县政协 — “有事多商量·惠协商”
# ---------------------------------------------------------------------------------------------

HUIMIN_SUBDISTRICTS = ["孙武街道", "武定府街道", "何坊街道"]
HUIMIN_TOWNS = [
    "石庙镇",
    "桑落墅镇",
    "淄角镇",
    "胡集镇",
    "李庄镇",
    "麻店镇",
    "魏集镇",
    "清河镇",
    "姜楼镇",
    "辛店镇",
    "大年陈镇",
    "皂户李镇",
]
_HUIMIN_SLUGS = [
    "sunwu",
    "wudingfu",
    "hefang",
    "shimiao",
    "sangluoshu",
    "zijiao",
    "huji",
    "lizhuang",
    "madian",
    "weiji",
    "qinghe",
    "jianglou",
    "xindian",
    "daniancheng",
    "zaohuli",
]

HUIMIN = CountySpec(
    slug="huimin",
    name="惠民县政协",
    short="惠民县",
    gov="县",
    province=("shandong", "山东省政协"),
    city=("binzhou", "滨州市政协"),
    brand="有事多商量·惠协商",
    slogan="小切口议民生，真协商解难题",
    colour="#1565c0",
    intro=(
        "惠民县政协打造“有事多商量·惠协商”工作品牌：在孙武街道建成委员活动中心和协商议事厅，"
        "改造提升镇（街道）政协委员联络室，依托社区党群服务中心建设协商议事站。协商按照"
        "“三议七步”规则推进，从议题产生、调查研究、事中协商到成果转化环环相扣；各联络室按年度"
        "计划落实“五个一”闭环——明确一个主题、开展一次协商、解决一个问题、形成一个典型案例、"
        "开展一次宣传报道。"
    ),
    address="惠民县孙武街道 县政协委员活动中心",
    id_area_code="371621",
    centre=(37.49, 117.51),
    seat="孙武街道",
    opera="曲艺团",
    firm_place="惠民",
    office="huimin_office",
    areas=(
        *(AreaSpec(s, A.SUBDISTRICT) for s in HUIMIN_SUBDISTRICTS),
        *(AreaSpec(t, A.TOWN) for t in HUIMIN_TOWNS),
        AreaSpec("棣州社区", A.COMMUNITY, "孙武街道"),
        AreaSpec("乐安社区", A.COMMUNITY, "武定府街道"),
    ),
    workstations=(
        WorkstationSpec(
            "惠民县政协委员活动中心",
            "centre",
            K.ACTIVITY_CENTRE,
            C.AREA,
            "centre",
            area="孙武街道",
            size=12,
            intro="位于孙武街道，设有协商议事厅，是县政协组织重点协商和委员学习培训的主阵地。",
            stories=(
                Story(
                    "企业梯度培育",
                    "government",
                    0,
                    "consultation_report",
                    "县委、县政府",
                    adopted_by="县工业和信息化局",
                    endorsement=("county", "县委书记", "县工业和信息化局"),
                ),
                Story(
                    "提升县域教育质量",
                    "government",
                    1,
                    "consultation_report",
                    "县委、县政府",
                    adopted_by="县教育和体育局",
                ),
            ),
        ),
        *(
            WorkstationSpec(
                f"{area}政协委员联络室",
                slug,
                K.LIAISON_OFFICE,
                C.AREA,
                "community" if area.endswith("街道") else "town",
                area=area,
                home_weight=1.6 if area == "孙武街道" else 1.0,
                rhythm={"魏集镇": "lagging", "姜楼镇": "stopped", "辛店镇": "lagging"}.get(
                    area, ""
                ),
            )
            for area, slug in zip(HUIMIN_SUBDISTRICTS + HUIMIN_TOWNS, _HUIMIN_SLUGS, strict=True)
        ),
        _sector_room(
            "医药卫生界",
            "yiyao",
            "medical",
            "由医药卫生界委员组成，聚焦群众看病购药的难处。",
            "孙武街道",
            stories=(
                Story(
                    "慢性病患者就近购药",
                    "residents",
                    0,
                    "consultation_report",
                    "县卫健委、县医保局",
                    adopted_by="县医保局",
                    implemented=("县医保局", "慢性病常用药纳入乡镇卫生院和村卫生室配备目录", None),
                    solved=True,
                    typical_case=True,
                ),
                Story(
                    "基层医疗机构药品信息联网",
                    "members",
                    1,
                    "public_opinion",
                    "县卫健委",
                    adopted_by="县卫健委",
                    implemented=("县卫健委", "县域药品信息平台接入全部乡镇卫生院", 600_000),
                    solved=True,
                ),
            ),
        ),
        _sector_room("教育体育界", "jiaoyu", "education", "由教育体育界委员组成。", "孙武街道"),
        _sector_room("经济界", "jingji", "economy", "由经济界委员组成。", "孙武街道"),
        _sector_room(
            "农业界", "nongye", "agriculture", "由农业界委员组成，常年开展农技服务。", "石庙镇"
        ),
        WorkstationSpec(
            "孙子故里文化委员工作室",
            "sunzi",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "heritage",
            area="孙武街道",
            theme="孙子文化",
            tag="heritage",
            draw=("文化艺术界", "民盟界", "民进界"),
            size=6,
            intro="惠民是孙子故里。工作室由文化界委员组成，推动孙子文化和胡集书会等民间文艺传承。",
        ),
        WorkstationSpec(
            "惠企帮办委员工作室",
            "huiqi",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "enterprise",
            area="何坊街道",
            theme="企业服务",
            tag="enterprise",
            draw=("工商联界", "民建界", "经济界"),
            size=6,
            intro="为企业当好“帮办员”，围绕企业梯度培育、项目和人才引进开展协商。",
            stories=(
                Story(
                    "重大项目与高端人才引进",
                    "government",
                    1,
                    "research_report",
                    "县委、县政府",
                    adopted_by="县委人才工作领导小组办公室",
                ),
            ),
        ),
        WorkstationSpec(
            "棣州社区协商议事站",
            "dizhou",
            K.CONSULTATION_ROOM,
            C.AREA,
            "community",
            area="棣州社区",
            size=5,
            stories=(
                Story(
                    "小区停车难与居民活动场地紧缺",
                    "residents",
                    0,
                    "consultation_report",
                    "孙武街道办事处",
                    adopted_by="孙武街道办事处",
                    implemented=(
                        "孙武街道办事处",
                        "利用闲置空地新增停车位并改建居民活动广场",
                        450_000,
                    ),
                    solved=True,
                    typical_case=True,
                ),
            ),
        ),
        WorkstationSpec(
            "乐安社区协商议事站",
            "lean",
            K.CONSULTATION_ROOM,
            C.AREA,
            "community",
            area="乐安社区",
            size=4,
            stories=(
                Story(
                    "小区居民夜间购电难",
                    "residents",
                    1,
                    "consultation_report",
                    "县供电公司",
                    adopted_by="县供电公司",
                    implemented=("县供电公司", "小区安装自助购电终端并开通线上缴费", None),
                    solved=True,
                    typical_case=True,
                ),
            ),
        ),
    ),
    sector_members={
        "中共界": 12,
        "民革界": 4,
        "民盟界": 5,
        "民建界": 5,
        "民进界": 5,
        "农工党界": 4,
        "九三学社界": 3,
        "无党派人士界": 6,
        "共青团界": 5,
        "工会界": 6,
        "妇联界": 7,
        "工商联界": 10,
        "科技科协界": 5,
        "经济界": 11,
        "农业界": 11,
        "教育体育界": 9,
        "文化艺术界": 6,
        "医药卫生界": 9,
        "社会福利和社会保障界": 5,
        "特邀界": 8,
    },
    established=(datetime.date(2024, 3, 1), datetime.date(2024, 6, 28)),
    city_members=7,
    province_members=2,
    standing_share=0.18,
    outlets=("惠民县融媒体中心", "滨州日报", "联合日报", "人民政协报", "新华网"),
    leaders={
        "county": ("县委书记", "县长", "县委副书记", "副县长"),
        "city": ("市委常委", "市政协副主席", "副市长"),
        "province": ("省政协副主席",),
    },
    party_government="县委、县政府",
    submit_to=("县委办、县政府办", "县政协办公室", "{town}党（工）委", "{department}"),
    bulletin_name="“惠协商”工作动态",
    bulletins=12,
    public_opinion_per_ws=0.9,
    typical_case_share=0.85,
    consultation_media_share=0.7,
)

# ---------------------------------------------------------------------------------------------
# 铜陵市铜官区政协 — “同您协商·议关键事”
# ---------------------------------------------------------------------------------------------

TONGGUAN_SUBDISTRICTS = ["新城街道", "幸福街道", "天井湖街道", "人民街道", "官塘街道", "横港街道"]
_TONGGUAN_SLUGS = ["xincheng", "xingfu", "tianjinghu", "renmin", "guantang", "henggang"]

TONGGUAN = CountySpec(
    slug="tongguan",
    name="铜陵市铜官区政协",
    short="铜官区",
    gov="区",
    province=("anhui", "安徽省政协"),
    city=("tongling", "铜陵市政协"),
    brand="同您协商·议关键事",
    slogan="聚焦关键小事，协商共建新铜官",
    colour="#b35a1f",
    intro=(
        "铜官区政协打造“同您（铜陵）协商·议关（官）键事”品牌，依托镇、街道和社区、高新区以及"
        "特色委员工作室开展协商议政，挑选切口小、与群众利益关系密切的课题，围绕就业、教育、社保、"
        "医疗、养老、托幼等议题提出对策建议；同时用好提案、社情民意信息和民主监督，推动委员的"
        "意见建议落地见效。"
    ),
    address="铜陵市铜官区 区政协机关",
    id_area_code="340705",
    centre=(30.945, 117.812),
    seat="人民街道",
    opera="黄梅戏剧团",
    firm_place="铜陵",
    office="tongguan_office",
    areas=(
        *(AreaSpec(s, A.SUBDISTRICT) for s in TONGGUAN_SUBDISTRICTS),
        AreaSpec("西湖镇", A.TOWN),
        AreaSpec("铜官高新区", A.DEVELOPMENT_ZONE),
        AreaSpec("五松社区", A.COMMUNITY, "新城街道"),
        AreaSpec("淮河社区", A.COMMUNITY, "幸福街道"),
        AreaSpec("翠湖社区", A.COMMUNITY, "天井湖街道"),
        AreaSpec("长江社区", A.COMMUNITY, "人民街道"),
        AreaSpec("金口岭社区", A.COMMUNITY, "官塘街道"),
    ),
    workstations=(
        *(
            WorkstationSpec(
                f"{area}委员工作室",
                slug,
                K.MEMBER_WORKSTATION,
                C.AREA,
                "community",
                area=area,
                home_weight=1.3 if area == "人民街道" else 1.0,
                rhythm={"官塘街道": "lagging", "横港街道": "stopped"}.get(area, ""),
                stories=(
                    (
                        Story(
                            "菜市场周边区域综合整治",
                            "residents",
                            0,
                            "public_opinion",
                            "市委、市政府",
                            adopted_by="市城管局",
                            endorsement=("city", "市委副书记", "市城管局"),
                            implemented=(
                                "区城管局",
                                "菜市场东侧增设临时疏导点，违规占道经营基本消除",
                                None,
                            ),
                            solved=True,
                        ),
                    )
                    if area == "人民街道"
                    else ()
                ),
            )
            for area, slug in zip(TONGGUAN_SUBDISTRICTS, _TONGGUAN_SLUGS, strict=True)
        ),
        WorkstationSpec(
            "西湖镇委员工作室",
            "xihu",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "town",
            area="西湖镇",
            home_weight=0.8,
        ),
        WorkstationSpec(
            "高新区委员工作室",
            "gaoxin",
            K.MEMBER_WORKSTATION,
            C.AREA,
            "zone",
            area="铜官高新区",
            home_weight=1.1,
            stories=(
                Story(
                    "园区“工业上楼”推进情况",
                    "government",
                    1,
                    "research_report",
                    "市政协",
                    adopted_by="铜陵市政协",
                ),
            ),
        ),
        *(
            WorkstationSpec(
                f"{community}协商议事室",
                slug,
                K.CONSULTATION_ROOM,
                C.AREA,
                "community",
                area=community,
                size=4,
            )
            for community, slug in (
                ("五松社区", "wusong"),
                ("淮河社区", "huaihe"),
                ("翠湖社区", "cuihu"),
                ("长江社区", "changjiang"),
                ("金口岭社区", "jinkouling"),
            )
        ),
        WorkstationSpec(
            "铜韵记忆委员工作室",
            "tongyun",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "heritage",
            area="人民街道",
            theme="工业遗产保护",
            tag="heritage",
            draw=("文化艺术界", "民盟界", "九三学社界"),
            size=5,
            intro="铜陵因铜而兴。工作室关注矿冶工业遗产的保护和利用，留住城市记忆。",
            stories=(
                Story(
                    "工业遗产保护利用",
                    "members",
                    0,
                    "public_opinion",
                    "市委、市政府",
                    adopted_by="市文旅局",
                    endorsement=("city", "市委书记", "市文旅局"),
                ),
            ),
        ),
        WorkstationSpec(
            "安居加梯委员工作室",
            "jiati",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "community",
            area="幸福街道",
            theme="老旧小区改造",
            tag="build",
            draw=("经济界", "民建界", "特邀界"),
            size=5,
            intro="聚焦老旧小区改造和加装电梯，平层、错层小区各有难处，委员上门一栋一栋地商量。",
            stories=(
                Story(
                    "平层与错层老旧小区加装电梯",
                    "residents",
                    0,
                    "consultation_report",
                    "区委、区政府",
                    adopted_by="区住建局",
                    endorsement=("county", "区长", "区住建局"),
                    implemented=(
                        "区住建局",
                        "两个小区首批电梯开工，区财政给予每台定额补助",
                        1_200_000,
                    ),
                    solved=True,
                    typical_case=True,
                ),
            ),
        ),
        WorkstationSpec(
            "民企之家委员工作室",
            "minqi",
            K.MEMBER_WORKSTATION,
            C.FEATURED,
            "enterprise",
            area="铜官高新区",
            theme="民营经济",
            tag="enterprise",
            draw=("工商联界", "经济界", "民建界"),
            size=5,
            intro="服务民营企业发展，围绕科技创新带动产业创新开展调研协商。",
            stories=(
                Story(
                    "以科技创新带动产业创新、培育新质生产力",
                    "members",
                    1,
                    "research_report",
                    "市政协",
                    adopted_by="铜陵市政协",
                ),
            ),
        ),
        _sector_room(
            "医药卫生界",
            "yiyao",
            "medical",
            "由医药卫生界委员组成，关注城区医疗服务能力提升。",
            "人民街道",
        ),
        _sector_room(
            "教育体育界",
            "jiaoyu",
            "education",
            "由教育体育界委员组成，关注学校周边食品安全和托幼服务。",
            "天井湖街道",
        ),
    ),
    sector_members={
        "中共界": 10,
        "民革界": 4,
        "民盟界": 4,
        "民建界": 5,
        "民进界": 4,
        "农工党界": 4,
        "九三学社界": 3,
        "无党派人士界": 5,
        "共青团界": 4,
        "工会界": 5,
        "妇联界": 6,
        "工商联界": 9,
        "科技科协界": 5,
        "经济界": 10,
        "农业界": 3,
        "教育体育界": 8,
        "文化艺术界": 5,
        "医药卫生界": 8,
        "社会福利和社会保障界": 5,
        "特邀界": 5,
    },
    established=(datetime.date(2024, 1, 15), datetime.date(2024, 6, 20)),
    city_members=10,
    province_members=2,
    standing_share=0.2,
    outlets=("铜官区融媒体中心", "铜陵日报", "铜陵政协微信公众号", "人民政协报"),
    leaders={
        "county": ("区委书记", "区长", "区委副书记", "副区长"),
        "city": ("市委书记", "市长", "市委副书记", "副市长"),
        "province": ("省政协副主席",),
    },
    party_government="区委、区政府",
    submit_to=("区委办、区政府办", "区政协办公室", "{town}党工委、办事处", "{department}"),
    bulletin_name="“同您协商”专报",
    bulletins=8,
    research_reports=6,
    research_to="铜陵市政协",
    public_opinion_per_ws=1.5,
    typical_case_share=0.3,
    city_endorsement_share=0.45,
)

COUNTIES = (HANSHAN, HUIMIN, TONGGUAN)

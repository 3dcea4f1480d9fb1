"""Build tests/golden/ChiCTR2400084905.json from values read off the page by eye.

Short values are typed here as the page shows them; long ones are taken from the page's own text lines
(line numbers read off the page), with `<br>` giving a line break and runs of blanks folded, as a
browser shows them. Nothing here runs the parser: the golden file checks it.
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGE = HERE / "../../../shared/corpus/html/ChiCTR2400084905.html"


def main() -> None:
    page = PAGE.read_text(encoding="utf-8").split("\n")

    def fold(line):
        return " ".join(p for p in line.replace("&nbsp;", " ").split(" ") if p).strip()

    def L(a, b=None):
        """Page lines a..b: `<br>` ends a line, other line ends are blanks (the browser's view)."""
        text = " ".join(page[a - 1:(b or a)])
        return "\n".join(fold(part) for part in text.split("<br>"))

    S = []

    def f(key, zl, zv, el, ev, shared=False, group=None, index=None):
        S.append(dict(key=key, group=group, index=index, zh=dict(label=zl, value=zv),
                      en=dict(label=el, value=ev), shared=shared))

    f("registration_number", "注册号", "ChiCTR2400084905", "Registration number", "ChiCTR2400084905", True)
    f("last_refreshed_on", "最近更新日期", "2024-05-28 08:56:14", "Date of Last Refreshed on", "2024-05-28 08:56:14", True)
    f("registration_date", "注册时间", "2024-05-28 00:00:00", "Date of Registration", "2024-05-28 00:00:00", True)
    f("registration_status", "注册号状态", "预注册", "Registration Status", "Prospective registration")
    f("public_title", "注册题目", L(141), "Public title", L(151))
    f("public_title_acronym", "注册题目简写", L(161), "English Acronym", L(171))
    f("scientific_title", "研究课题的正式科学名称", L(181), "Scientific title", L(191))
    f("study_subject_id", "研究课题代号(代码)", "", "Study subject ID", "")
    f("secondary_ids", "在二级注册机构或其它机构的注册号", "",
      "The registration number of the Partner Registry or other register", "")
    f("applicant", "申请注册联系人", "张娇", "Applicant", "Jiao Zhang")
    f("study_leader", "研究负责人", "程颖", "Study leader", "cheng ying")
    f("applicant_phone", "申请注册联系人电话", "+86 156 8305 3632", "Applicant telephone", "+86 156 8305 3632", True)
    f("study_leader_phone", "研究负责人电话", "+86 150 4404 4052", "Study leader's telephone", "+86 150 4404 4052", True)
    f("applicant_fax", "申请注册联系人传真", "", "Applicant Fax", "")
    f("study_leader_fax", "研究负责人传真", "", "Study leader's fax", "")
    f("applicant_email", "申请注册联系人电子邮件", "zhang_jiao2@lilly.com", "Applicant E-mail", "zhang_jiao2@lilly.com", True)
    f("study_leader_email", "研究负责人电子邮件", "jl.cheng@163.com", "Study leader's E-mail", "jl.cheng@163.com", True)
    f("applicant_website", "申请单位网址(自愿提供)", "", "Applicant website(voluntary supply)", "")
    f("study_leader_website", "研究负责人网址(自愿提供)", "", "Study leader's website(voluntary supply)", "")
    f("applicant_address", "申请注册联系人通讯地址", "上海市静安区石门一路288号 香港兴业太古汇一座19楼", "Applicant address",
      "19F Tower 1 HKRI, Taikoo Hui, No.288, Shi Men Yi Road Shanghai 200041, P.R. China")
    f("study_leader_address", "研究负责人通讯地址", "吉林省长春市湖光路1018号、锦湖大路1066号", "Study leader's address",
      "No. 1018 Huguang Road, No. 1066 Jinhu Road, Changchun City, Jilin Province")
    f("applicant_postcode", "申请注册联系人邮政编码", "", "Applicant postcode", "")
    f("study_leader_postcode", "研究负责人邮政编码", "", "Study leader's postcode", "")
    f("applicant_institution", "申请人所在单位", "礼来苏州制药有限公司", "Applicant's institution",
      "Eli Lilly Suzhou Pharmaceutical Co., Ltd.")
    f("study_leader_affiliation", "研究负责人所在单位", "吉林省肿瘤医院", "Affiliation of the Leader", "Jilin Cancer Hospital")
    f("ethics_approved", "是否获伦理委员会批准", "是", "Approved by ethic committee", "Yes")
    f("ethics_approval_number", "伦理委员会批件文号", "202311-105-02；202311-105-01", "Approved No. of ethic committee",
      "202311-105-02；202311-105-01", True)
    f("ethics_approval_file", "伦理委员会批件附件", "查看附件", "Approved file of Ethical Committee", "View")
    f("ethics_committee_name", "批准本研究的伦理委员会名称", "吉林省肿瘤医院伦理委员会", "Name of the ethic committee",
      "Jilin Province Cancer Hospital Institutional Review Board")
    f("ethics_approval_date", "伦理委员会批准日期", "2023-12-22 00:00:00", "Date of approved by ethic committee",
      "2023-12-22 00:00:00", True)
    f("ethics_contact_name", "伦理委员会联系人", "张宁", "Contact Name of the ethic committee", "Zhang Ning")
    f("ethics_contact_address", "伦理委员会联系地址", "吉林省长春市湖光路1018号、锦湖大路1066号",
      "Contact Address of the ethic committee", "No. 1018 Huguang Road, No. 1066 Jinhu Road, Changchun City, Jilin Province")
    f("ethics_contact_phone", "伦理委员会联系人电话", "+86 431 8059 6067", "Contact phone of the ethic committee",
      "+86 431 8059 6067", True)
    f("ethics_contact_email", "伦理委员会联系人邮箱", "JPCHIRB@163.com", "Contact email of the ethic committee",
      "JPCHIRB@163.com", True)
    f("primary_sponsor", "研究实施负责（组长）单位", "吉林省肿瘤医院", "Primary sponsor", "Jilin Cancer Hospital")
    f("primary_sponsor_address", "研究实施负责（组长）单位地址", "吉林省长春市湖光路1018号、锦湖大路1066号",
      "Primary sponsor's address", "No. 1018 Huguang Road, No. 1066 Jinhu Road, Changchun City, Jilin Province")
    f("secondary_sponsors", "试验主办单位(项目批准或申办者)", "", "Secondary sponsor", "")
    g = "secondary_sponsors"
    f("country", "国家", "中国", "Country", "China", group=g, index=0)
    f("province", "省(直辖市)", "吉林", "Province", "Jilin", group=g, index=0)
    f("city", "市(区县)", "", "City", "", group=g, index=0)
    f("institution", "单位(医院)", "吉林省肿瘤医院", "Institution hospital", "Jilin Cancer Hospital", group=g, index=0)
    f("address", "具体地址", "吉林省长春市湖光路1018号、锦湖大路1066号", "Address",
      "No. 1018 Huguang Road, No. 1066 Jinhu Road, Changchun City, Jilin Province", group=g, index=0)
    f("funding_sources", "经费或物资来源", "礼来苏州制药有限公司", "Source(s) of funding", "Eli Lilly and Company")
    f("target_disease", "研究疾病", "KRAS G12C突变、局部晚期或转移性非小细胞肺癌", "Target disease",
      "KRAS G12C-Mutant, Locally Advanced or Metastatic Non-Small Cell Lung Cancer")
    f("target_disease_code", "研究疾病代码", "", "Target disease code", "")
    f("study_type", "研究类型", "干预性研究", "Study type", "Interventional study")
    f("study_phase", "研究所处阶段", "III期临床试验", "Study phase", "3")
    f("study_design", "研究设计", "随机平行对照", "Study design", "Parallel")
    f("objectives", "研究目的", L(804, 807), "Objectives of Study", L(817, 821))
    f("treatment_description", "药物成份或治疗方案详述", "", "Description for medicine or protocol of treatment in detail", "")
    f("inclusion_criteria", "纳入标准", L(854, 865), "Inclusion criteria", L(875, 886))
    f("exclusion_criteria", "排除标准", L(896, 916), "Exclusion criteria", L(926, 948))
    f("study_period", "研究实施时间", "从 From 2024-06-01 00:00:00至 To 2029-10-01 00:00:00", "Study execute time",
      "从 From 2024-06-01 00:00:00至 To 2029-10-01 00:00:00", True)
    f("recruitment_period", "征募观察对象时间", "从 From 2024-06-01 00:00:00 至 To 2026-06-01 00:00:00", "Recruiting time",
      "从 From 2024-06-01 00:00:00 至 To 2026-06-01 00:00:00", True)
    f("interventions", "干预措施", "", "Interventions", "")
    g = "interventions"
    arms = [("试验组（A部分）", "experimental group（Part A）", "192", "LY3537982联合帕博利珠单抗",
             "LY3537982 in combination with pembrolizumab"),
            ("对照组（A部分）", "control group（Part A）", "192", "安慰剂联合帕博利珠单抗", "placebo with pembrolizumab"),
            ("试验组（B部分）", "experimental group（Part B）", "276", "LY3537982联合帕博利珠单抗、培美曲塞和铂类药物",
             "LY3537982 in combination with pembrolizumab, pemetrexed and platinum"),
            ("对照组（B部分）", "control group（Part B）", "276", "安慰剂联合帕博利珠单抗、培美曲塞和铂类药物",
             "placebo with pembrolizumab, pemetrexed and platinum")]
    for i, (gz, ge, n, iz, ie) in enumerate(arms):
        f("group_name", "组别", gz, "Group", ge, group=g, index=i)
        f("sample_size", "样本量", n, "Sample size", n, True, group=g, index=i)
        f("intervention", "干预措施", iz, "Intervention", ie, group=g, index=i)
        f("intervention_code", "干预措施代码", "", "Intervention code", "", group=g, index=i)
    f("sites", "研究实施地点", "", "Countries of recruitment and research settings", "")
    sites = [  # province zh, province en, institution zh, institution en; all 中国/China, 三级甲等/Tertiary A
        ("吉林", "Jilin", "吉林省肿瘤医院", "Jilin Cancer Hospital"),
        ("天津", "Tianjing", "天津市肿瘤医院", "Tianjin Medical University Cancer Institute and Hospital"),
        ("四川", "Sichuan", "四川大学华西医院", "West China Hospital of Sichuan University"),
        ("上海", "Shanghai", "上海市胸科医院", "Shanghai Chest?Hospital"),
        ("湖北", "Hubei", "华中科技大学同济医学院附属协和医院",
         "Union Hospital, Tongji Medical College, Huazhong University of Science and Technology"),
        ("广东", "Guangdong", "广东医科大学附属医院", "Affiliated Hospital of Guangdong Medical University"),
        ("湖南", "Hunan", "湖南省肿瘤医院", "hunan cancer hospital"),
        ("上海", "Shanghai", "复旦大学附属肿瘤医院", "Fudan University Shanghai Cancer Center"),
        ("广东", "Guangdong", "中山大学附属第一医院", "The First Affiliated Hospital,Sun Yat-sen University"),
        ("广东", "Guangdong", "广州医科大学附属第一医院", "THE FIRST AFFILIATED HOSPITAL OF GUANGZHOU MEDICAL UNIVERSITY"),
        ("江西", "Jiangxi", "南昌大学第一附属医院", "The first affiliated hostipal of nanchang university"),
        ("上海", "Shanghai", "复旦大学附属中山医院", "Zhongshan Hospital, Fudan University"),
        ("江苏", "Jiangsu", "南京市第一医院", "NanJing First Hospital"),
        ("江苏", "Jiangsu", "南通市肿瘤医院", "Nantong Tumor?Hospital"),
        ("湖南", "Hunan", "株洲市中心医院", "Zhuzhou Central Hospital"),
        ("湖南", "Hunan", "湖南省肿瘤医院", "hunan cancer hospital"),
        ("湖南", "Hunan", "湖南省肿瘤医院", "hunan cancer hospital"),
        ("上海", "Shanghai", "复旦大学附属肿瘤医院", "Fudan University Shanghai Cancer Center"),
        ("广东", "Guangdong", "中山大学附属第一医院", "The First Affiliated Hospital,Sun Yat-sen University"),
        ("广东", "Guangdong", "广州医科大学附属第一医院", "THE FIRST AFFILIATED HOSPITAL OF GUANGZHOU MEDICAL UNIVERSITY"),
        ("黑龙江", "Heilongjiang", "哈尔滨医科大学附属肿瘤医院", "harbin medical university cancer hospital"),
        ("新疆", "Xinjiang", "新疆医科大学第一附属医院", "The First Affiliated Hospital Of Xinjiang Medical University"),
        ("浙江", "Zhejiang", "浙江大学医学院附属第一医院",
         "The FIrst Affiliated Hospital, College of Medicine, Zhejiang University"),
        ("湖南", "Hunan", "中南大学湘雅医院", "Xiangya Hospital Central South University"),
        ("浙江", "Zhejiang", "浙江省肿瘤医院", "Zhejiang Cancer Hospital"),
        ("福建", "Fujian", "福建省肿瘤医院", "Fujian Cancer Hospital"),
        ("湖北", "Hubei", "华中科技大学同济医学院附属同济医院",
         "Tongji Hospital, Tongji Medical College ,Huazhong University of Science and Technology"),
        ("安徽", "Anhui", "皖南医学院弋矶山医院", "Yijishan Hospital of Wannan Medical college"),
        ("山东", "Shandong", "济南市中心医院", "Jinan Central Hospital"),
        ("广西", "Guangxi", "柳州市人民医院", "Liuzhou people's hospital"),
        ("湖北", "Hubei", "襄阳市中心医院", "Xiangyang Central Hospital"),
        ("浙江", "Zhejiang", "浙江大学医学院附属邵逸夫医院",
         "Sir Run Run Shaw Hospital, School of Medicine, Zhejiang University"),
        ("湖北", "Hubei", "宜昌市中心人民医院", "Yichang Central People’s Hospital"),
        ("海南", "Hainan", "海南省人民医院", "Hainan General Hospital"),
        ("河南", "Henan", "新乡医学院第一附属医院", "The First Affiliated Hospital of Xinxiang Medical University"),
        ("江苏", "Jiangsu", "常州市第一人民医院", "the First People's Hospital of Changzhou"),
        ("北京", "Beijing", "中国医学科学院肿瘤医院", "Cancer Hospital Chinese Academy of Medical Sciences"),
        ("湖北", "Hubei", "华中科技大学同济医学院附属同济医院",
         "Tongji Hospital, Tongji Medical College ,Huazhong University of Science and Technology"),
        ("上海", "Shanghai", "复旦大学附属中山医院", "Zhongshan Hospital, Fudan University"),
        ("江苏", "Jiangsu", "南京市第一医院", "NanJing First Hospital"),
        ("江苏", "Jiangsu", "南通市肿瘤医院", "Nantong Tumor?Hospital"),
        ("江西", "Jiangxi", "南昌大学第一附属医院", "The first affiliated hostipal of nanchang university"),
        ("湖南", "Hunan", "株洲市中心医院", "Zhuzhou Central Hospital"),
    ]
    g = "sites"
    for i, (pz, pe, hz, he) in enumerate(sites):
        f("country", "国家", "中国", "Country", "China", group=g, index=i)
        f("province", "省(直辖市)", pz, "Province", pe, group=g, index=i)
        f("city", "市(区县)", "", "City", "", group=g, index=i)
        f("institution", "单位(医院)", hz, "Institution hospital", he, group=g, index=i)
        f("institution_level", "单位级别", "三级甲等", "Level of the institution", "Tertiary A", group=g, index=i)
    f("outcomes", "测量指标", "", "Outcomes", "")
    g = "outcomes"
    outcomes = [("无进展生存期", "progression-free survival", "主要指标", "Primary indicator", L(4659), L(4679),
                 "影像评估（RECIST 1.1标准）", "Imaging assessment (Response Evaluation Criteria in Solid Tumors version 1.1)"),
                ("总生存期", "Overall survival", "次要指标", "Secondary indicator", L(4738), L(4758),
                 "生存期随访", "Survival follow-up"),
                ("总缓解率", "overall response rate", "次要指标", "Secondary indicator", L(4817), L(4837),
                 "影像评估（RECIST 1.1标准）", "Imaging assessment (Response Evaluation Criteria in Solid Tumors version 1.1)")]
    for i, (nz, ne, tz, te, pz, pe, mz, me) in enumerate(outcomes):
        f("outcome_name", "指标中文名", nz, "Outcome", ne, group=g, index=i)
        f("outcome_type", "指标类型", tz, "Type", te, group=g, index=i)
        f("time_point", "测量时间点", pz, "Measure time point of outcome", pe, group=g, index=i)
        f("method", "测量方法", mz, "Measure method", me, group=g, index=i)
    f("samples", "采集人体标本", "", "Collecting sample(s) from participants", "")
    g = "samples"
    samples = [("PK检测血样", "PK"), ("血生化、血常规、甲状腺功能、妊娠检查", "NA"), ("PD-L1和KRAS CDx检测", "PD-L1、KRAS CDx"),
               ("尿分析", "NA")]
    for i, (nz, ne) in enumerate(samples):
        f("sample_name", "标本中文名", nz, "Sample Name", ne, group=g, index=i)
        f("tissue", "组织", "", "Tissue", "", group=g, index=i)
        f("fate", "人体标本去向", "使用后销毁", "Fate of sample", "Destruction after use", group=g, index=i)
        f("note", "说明", "", "Note", "", group=g, index=i)
    f("recruitment_status", "征募研究对象情况", "尚未开始", "Recruiting status", "Not yet recruiting")
    age = "最小 Min age 18 岁 years\n最大 Max age 岁 years"
    f("age_range", "年龄范围", age, "Participant age", age, True)
    f("gender", "性别", "男女均可", "Gender", "Both")
    f("randomization_procedure", "随机方法（请说明由何人用什么方法产生随机序列）", "由IWRS随机系统进行随机",
      "Randomization Procedure (please state who generates the random number sequence and by what method)",
      "Randomization by IWRS system")
    f("results_public_access", "是否公开试验完成后的统计结果", "不公开",
      "Calculated Results after the Study Completed public access", "Private")
    f("blinding", "盲法", "双盲", "Blinding", "Double blinded")
    f("ipd_sharing", "是否共享原始数据", "否", "IPD sharing", "No")
    f("ipd_sharing_plan", "共享原始数据的方式（说明：请填入公开原始数据日期和方式，如采用网络平台，需填该网络平台名称和网址）", "NA",
      "The way of sharing IPD”(include metadata and protocol, If use web-based public database, please provide the url)", "NA")
    f("data_management",
      "数据采集和管理（说明：数据采集和管理由两部分组成，一为病例记录表(Case Record Form, CRF)，二为电子采集和管理系统"
      "(Electronic Data Capture, EDC)，如ResMan即为一种基于互联网的EDC", "NA",
      "Data collection and Management (A standard data collection and management system include a CRF and an "
      "electronic data capture", "NA")
    f("dsmc", "数据与安全监察委员会", "有", "Data and Safety Monitoring Committee", "Yes")
    f("registrant", "注册人", "2024-05-28 08:55:58", "Name of Registration", "2024-05-28 08:55:58", True)

    title = fold(page[88].split(">", 1)[1].split("<", 1)[0])
    out = dict(registration_number="ChiCTR2400084905", registry="ChiCTR", title=title, fields=S)
    (HERE / "ChiCTR2400084905.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

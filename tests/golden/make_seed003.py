"""Build tests/golden/seed003.json from a hand-written map of seed line numbers (read off the seed by eye)."""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    seed = next((HERE / "../../../shared/seeds").glob("003_*.txt")).read_text(encoding="utf-8").split("\n")
    def L(a, b=None):
        b = b or a
        return '\n'.join(seed[a-1:b]).strip()
    # key, group, index, zh_label, zh_value, en_label, en_value, shared
    S = []
    def f(key, zl, zv, el, ev, shared=False, group=None, index=None):
        S.append(dict(key=key, group=group, index=index, zh=dict(label=zl, value=zv), en=dict(label=el, value=ev), shared=shared))
    f('audit_status','审核状态',L(7),'Project audit state',L(9))
    f('registration_number','注册号',L(15),'Registration number',L(15),True)
    f('last_refreshed_on','最近更新日期',L(21),'Date of Last Refreshed on',L(21),True)
    f('registration_date','注册时间',L(27),'Date of Registration',L(27),True)
    f('registration_status','注册号状态',L(31),'Registration Status',L(35))
    f('public_title','注册题目',L(39),'Public title',L(43))
    f('public_title_acronym','注册题目简写','','English Acronym','')
    f('scientific_title','研究课题的正式科学名称',L(51),'Scientific title',L(55))
    f('study_subject_id','研究课题代号(代码)','','Study subject ID','')
    f('secondary_ids','在二级注册机构或其它机构的注册号','','The registration number of the Partner Registry or other register','')
    f('applicant','申请注册联系人',L(67),'Applicant',L(75))
    f('study_leader','研究负责人',L(71),'Study leader',L(79))
    f('applicant_phone','申请注册联系人电话',L(85),'Applicant telephone',L(85),True)
    f('study_leader_phone','研究负责人电话',L(92),"Study leader's telephone",L(92),True)
    f('applicant_fax','申请注册联系人传真','','Applicant Fax','')
    f('study_leader_fax','研究负责人传真','',"Study leader's fax",'')
    f('applicant_email','申请注册联系人电子邮件',L(106),'Applicant E-mail',L(106),True)
    f('study_leader_email','研究负责人电子邮件',L(112),"Study leader's E-mail",L(112),True)
    f('applicant_website','申请单位网址(自愿提供)','','Applicant website(voluntary supply)','')
    f('study_leader_website','研究负责人网址(自愿提供)','',"Study leader's website(voluntary supply)",'')
    f('applicant_address','申请注册联系人通讯地址',L(124),'Applicant address',L(132))
    f('study_leader_address','研究负责人通讯地址',L(128),"Study leader's address",L(136))
    f('applicant_postcode','申请注册联系人邮政编码','','Applicant postcode','')
    f('study_leader_postcode','研究负责人邮政编码','',"Study leader's postcode",'')
    f('applicant_institution','申请人所在单位',L(148),"Applicant's institution",L(152))
    f('study_leader_affiliation','研究负责人所在单位',L(156),'Affiliation of the Leader',L(160))
    f('ethics_approved','是否获伦理委员会批准',L(166),'Approved by ethic committee',L(166),True)
    f('ethics_approval_number','伦理委员会批件文号',L(172),'Approved No. of ethic committee',L(172),True)
    f('ethics_approval_file','伦理委员会批件附件','查看附件','Approved file of Ethical Committee','View')
    f('ethics_committee_name','批准本研究的伦理委员会名称',L(182),'Name of the ethic committee',L(186))
    f('ethics_approval_date','伦理委员会批准日期',L(192),'Date of approved by ethic committee',L(192),True)
    f('ethics_contact_name','伦理委员会联系人',L(196),'Contact Name of the ethic committee',L(200))
    f('ethics_contact_address','伦理委员会联系地址',L(204),'Contact Address of the ethic committee',L(208))
    f('ethics_contact_phone','伦理委员会联系人电话',L(214),'Contact phone of the ethic committee',L(214),True)
    f('ethics_contact_email','伦理委员会联系人邮箱',L(220),'Contact email of the ethic committee',L(220),True)
    f('primary_sponsor','研究实施负责(组长)单位',L(224),'Primary sponsor',L(228))
    f('primary_sponsor_address','研究实施负责(组长)单位地址',L(232),"Primary sponsor's address",L(236))
    f('secondary_sponsors','试验主办单位(项目批准或申办者)','','Secondary sponsor','')
    g='secondary_sponsors'
    f('country','国家',L(244),'Country',L(254),group=g,index=0)
    f('province','省(直辖市)',L(248),'Province',L(258),group=g,index=0)
    f('city','市(区县)','','City','',group=g,index=0)
    f('institution','单位(医院)',L(264),'Institution hospital',L(273),group=g,index=0)
    f('address','具体地址',L(268),'Address',L(277),group=g,index=0)
    f('funding_sources','经费或物资来源',L(281),'Source(s) of funding',L(285))
    f('target_disease','研究疾病',L(289),'Target disease',L(293))
    f('target_disease_code','研究疾病代码','','Target disease code','')
    f('study_type','研究类型',L(301),'Study type',L(305))
    f('study_phase','研究所处阶段',L(309),'Study phase',L(313))
    f('study_design','研究设计',L(317),'Study design',L(321))
    f('objectives','研究目的',L(325),'Objectives of Study',L(329))
    f('treatment_description','药物成份或治疗方案详述','','Description for medicine or protocol of treatment in detail','')
    f('inclusion_criteria','纳入标准',L(341,344),'Inclusion criteria',L(348,351))
    f('exclusion_criteria','排除标准',L(355,358),'Exclusion criteria',L(362,365))
    f('study_period','研究实施时间',L(371),'Study execute time',L(371),True)
    f('recruitment_period','征募观察对象时间',L(377),'Recruiting time',L(377),True)
    f('interventions','干预措施','','Interventions','')
    g='interventions'
    f('group_name','组别',L(385),'Group',L(393),group=g,index=0)
    f('sample_size','样本量',L(389),'Sample size',L(389),True,group=g,index=0)
    f('intervention','干预措施',L(399),'Intervention',L(405),group=g,index=0)
    f('intervention_code','干预措施代码','','Intervention code','',group=g,index=0)
    f('group_name','组别',L(411),'Group',L(419),group=g,index=1)
    f('sample_size','样本量',L(415),'Sample size',L(415),True,group=g,index=1)
    f('intervention','干预措施',L(425),'Intervention',L(431),group=g,index=1)
    f('intervention_code','干预措施代码','','Intervention code','',group=g,index=1)
    f('sites','研究实施地点','','Countries of recruitment and research settings','')
    g='sites'
    f('country','国家',L(441),'Country',L(453),group=g,index=0)
    f('province','省(直辖市)',L(445),'Province',L(457),group=g,index=0)
    f('city','市(区县)','','City','',group=g,index=0)
    f('institution','单位(医院)',L(463),'Institution hospital',L(472),group=g,index=0)
    f('institution_level','单位级别',L(467),'Level of the institution',L(476),group=g,index=0)
    f('outcomes','测量指标','','Outcomes','')
    g='outcomes'
    for i,(a,b,c,d,e,ff,gg,h) in enumerate([(484,488,492,496,500,504,508,512),(516,520,524,528,532,536,540,544),(548,552,556,560,564,568,572,576),(580,584,588,592,596,600,604,608)]):
        f('outcome_name','指标中文名',L(a),'Outcome',L(c),group=g,index=i)
        f('outcome_type','指标类型',L(b),'Type',L(d),group=g,index=i)
        f('time_point','测量时间点',L(e),'Measure time point of outcome',L(gg),group=g,index=i)
        f('method','测量方法',L(ff),'Measure method',L(h),group=g,index=i)
    f('samples','采集人体标本','','Collecting sample(s) from participants','')
    g='samples'
    f('sample_name','标本中文名','','Sample Name',L(621),group=g,index=0)
    f('tissue','组织','','Tissue','',group=g,index=0)
    f('fate','人体标本去向',L(627),'Fate of sample',L(633),group=g,index=0)
    f('note','说明','','Note','',group=g,index=0)
    f('recruitment_status','征募研究对象情况',L(641),'Recruiting status',L(643))
    f('age_range','年龄范围',L(649,650),'Participant age',L(649,650),True)
    f('gender','性别',L(654),'Gender',L(658))
    f('randomization_procedure','随机方法(请说明由何人用什么方法产生随机序列)',L(664),'Randomization Procedure (please state who generates the random number sequence and by what method)',L(664),True)
    f('results_public_access','是否公开试验完成后的统计结果','不公开','Calculated Results after the Study Completed public access','Private')
    f('blinding','盲法',L(676),'Blinding',L(676),True)
    f('ipd_sharing','是否共享原始数据','否','IPD sharing','No')
    f('ipd_sharing_plan',L(684).rstrip(':'),L(686),L(688).rstrip(':'),L(690))
    f('data_management',L(692).rstrip(':'),L(694),L(696).rstrip(':'),L(698))
    f('dsmc','数据与安全监察委员会','无','Data and Safety Monitoring Committee','No')
    f('registrant','注册人',L(710),'Name of Registration',L(710),True)
    for s in S:
        for side in ('zh','en'):
            s[side]['value'] = s[side]['value'].strip(' \u00a0')
    out = dict(source='../shared/seeds/003_a95a0b624211f45c.txt', registry='ChiCTR', registration_number='ChiCTR2600120951',
               header=dict(version='V1.0', version_created='2026/03/23 17:16:18'), fields=S)
    (HERE / 'seed003.json').write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding='utf-8')



if __name__ == "__main__":
    main()

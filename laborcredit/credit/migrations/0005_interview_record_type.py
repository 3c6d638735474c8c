"""第十七条(三): the interview (约谈) is a record type of its own (issue 5); choices only, no SQL."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('credit', '0004_employer_township_index'),
    ]

    operations = [
        migrations.AlterField(
            model_name='creditrecord',
            name='type',
            field=models.CharField(choices=[('harmonious_certified', '认定为市级劳动关系和谐企业'), ('harmonious_revoked', '撤销市级劳动关系和谐企业'), ('labor_practice_assessed', '劳动用工情况评估'), ('violation_found', '违反人社法律法规行为被查处'), ('violation_corrected', '违法行为已纠正'), ('penalty_imposed', '行政处罚'), ('penalty_fulfilled', '已履行行政处罚决定'), ('blacklist_listed', '列入拖欠农民工工资黑名单'), ('blacklist_removed', '移出拖欠农民工工资黑名单'), ('arbitration_lost', '劳动人事争议仲裁败诉'), ('provincial_credit', '河南省公共信用综合评价结果'), ('interview_held', '约谈')], max_length=32, verbose_name='记录类型'),
        ),
    ]

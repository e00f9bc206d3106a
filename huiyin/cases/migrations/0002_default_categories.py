"""The default enterprise category list. The office edits it afterwards in the admin."""

from django.db import migrations

DEFAULT_CATEGORIES = [
    ("wages", "工资薪酬", "Wages and pay"),
    ("social_insurance", "社会保险", "Social insurance"),
    ("restructuring", "改制重组与经济补偿", "Restructuring and compensation"),
    ("housing", "住房与公积金", "Housing and housing fund"),
    ("work_injury", "工伤与职业病", "Work injury and occupational disease"),
    ("labour_contract", "劳动合同与用工", "Labour contracts and employment"),
    ("safety", "安全生产", "Work safety"),
    ("canteen_welfare", "食堂与职工福利", "Canteen and staff welfare"),
    ("retirees", "离退休待遇", "Retirees' benefits"),
    ("management", "经营管理建议", "Management suggestions"),
    ("discipline", "违纪违法检举", "Discipline and law violations"),
    ("other", "其他", "Other"),
]


def create(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for sort, (code, zh, en) in enumerate(DEFAULT_CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults={"name_zh": zh, "name_en": en, "sort": sort * 10})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]

"""The three national poverty standards with their ordered indicators (domain.md §1–§3), and the
editable lists of policy groups and causes of poverty (domain.md §5).

Values the legal texts do not fix are loaded as stated in domain.md and flagged in `notes`; an
administrator corrects them in the admin without a deploy."""

from django.db import migrations

STANDARDS = [
    {
        "code": "qd59-2015",
        "name": "Chuẩn nghèo tiếp cận đa chiều giai đoạn 2016–2020",
        "legal_basis": "Quyết định 59/2015/QĐ-TTg",
        "rule": "either_2016",
        "year_from": 2016,
        "year_to": 2021,
        "poverty_line_rural": 700_000,
        "poverty_line_urban": 900_000,
        "near_poverty_line_rural": 1_000_000,
        "near_poverty_line_urban": 1_300_000,
        "medium_upper_rural": 1_500_000,
        "medium_upper_urban": 1_950_000,
        "deprivation_threshold": 3,
        "provisional": False,
        "notes": (
            "Áp dụng cho các năm 2016–2020 và năm 2021 (NĐ 07/2021 Điều 2). Mức sống trung bình "
            "(1.500.000 đ nông thôn, 1.950.000 đ thành thị) CHƯA XÁC NHẬN từ văn bản gốc."
        ),
        "indicators": [
            ("Y tế", "tiep-can-y-te", "Tiếp cận các dịch vụ y tế",
             "Hộ có người bị ốm đau (ốm nặng, không thể tham gia hoạt động bình thường) nhưng không đi khám chữa bệnh."),
            ("Y tế", "bao-hiem-y-te", "Bảo hiểm y tế", "Hộ có ít nhất 1 thành viên từ đủ 6 tuổi trở lên không có thẻ bảo hiểm y tế."),
            ("Giáo dục", "giao-duc-nguoi-lon", "Trình độ giáo dục của người lớn",
             "Hộ có ít nhất 1 thành viên từ 15 tuổi trở lên, sinh từ năm 1986, chưa tốt nghiệp THCS và hiện không đi học."),
            ("Giáo dục", "tre-em-di-hoc", "Tình trạng đi học của trẻ em",
             "Hộ có ít nhất 1 trẻ em trong độ tuổi đi học (5 đến dưới 15 tuổi) hiện không đi học."),
            ("Nhà ở", "chat-luong-nha-o", "Chất lượng nhà ở",
             "Hộ đang ở nhà thiếu kiên cố hoặc đơn sơ (ít nhất 2 trong 3 kết cấu chính: tường, cột, mái làm bằng vật liệu không bền chắc)."),
            ("Nhà ở", "dien-tich-nha-o", "Diện tích nhà ở bình quân đầu người", "Diện tích nhà ở bình quân đầu người dưới 8 m²."),
            ("Nước sạch và vệ sinh", "nguon-nuoc", "Nguồn nước sinh hoạt", "Hộ không được tiếp cận nguồn nước hợp vệ sinh."),
            ("Nước sạch và vệ sinh", "nha-tieu", "Hố xí/nhà tiêu hợp vệ sinh", "Hộ không sử dụng hố xí/nhà tiêu hợp vệ sinh."),
            ("Thông tin", "vien-thong", "Sử dụng dịch vụ viễn thông",
             "Hộ không có thành viên nào sử dụng thuê bao điện thoại hoặc Internet."),
            ("Thông tin", "tai-san-thong-tin", "Tài sản phục vụ tiếp cận thông tin",
             "Hộ không có tài sản nào trong số ti vi, radio, máy tính VÀ không nghe được hệ thống loa đài truyền thanh xã/thôn."),
        ],
    },
    {
        "code": "nd07-2021",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2022–2025 (áp dụng cả năm 2026)",
        "legal_basis": "Nghị định 07/2021/NĐ-CP, Điều 3",
        "rule": "income_and_deprivation",
        "year_from": 2022,
        "year_to": 2026,
        "poverty_line_rural": 1_500_000,
        "poverty_line_urban": 2_000_000,
        "near_poverty_line_rural": None,
        "near_poverty_line_urban": None,
        "medium_upper_rural": 2_250_000,
        "medium_upper_urban": 3_000_000,
        "deprivation_threshold": 3,
        "provisional": False,
        "notes": "Năm 2026 tiếp tục áp dụng theo NĐ 351/2025/NĐ-CP. Định nghĩa từng chỉ số CHƯA XÁC NHẬN từ Phụ lục của Nghị định.",
        "indicators": [
            ("Việc làm", "viec-lam", "Việc làm",
             "Hộ có ít nhất 1 người trong độ tuổi lao động có khả năng lao động đang thất nghiệp, hoặc làm công hưởng lương không có hợp đồng lao động."),
            ("Việc làm", "nguoi-phu-thuoc", "Người phụ thuộc trong hộ gia đình", "Tỷ lệ người phụ thuộc trong tổng số nhân khẩu của hộ lớn hơn 50%."),
            ("Y tế", "dinh-duong", "Dinh dưỡng", "Hộ có ít nhất 1 trẻ em dưới 16 tuổi bị suy dinh dưỡng thấp còi hoặc nhẹ cân."),
            ("Y tế", "bao-hiem-y-te", "Bảo hiểm y tế", "Hộ có ít nhất 1 người từ đủ 6 tuổi trở lên không có bảo hiểm y tế."),
            ("Giáo dục", "giao-duc-nguoi-lon", "Trình độ giáo dục của người lớn",
             "Hộ có ít nhất 1 người từ 16 đến 30 tuổi không tham gia khóa đào tạo nào và không có bằng cấp, chứng chỉ giáo dục đào tạo so với độ tuổi."),
            ("Giáo dục", "tre-em-di-hoc", "Tình trạng đi học của trẻ em",
             "Hộ có ít nhất 1 trẻ em từ 3 đến dưới 16 tuổi không được học đúng bậc, cấp học phù hợp với độ tuổi."),
            ("Nhà ở", "chat-luong-nha-o", "Chất lượng nhà ở", "Hộ đang ở nhà thiếu kiên cố hoặc nhà đơn sơ."),
            ("Nhà ở", "dien-tich-nha-o", "Diện tích nhà ở bình quân đầu người", "Diện tích nhà ở bình quân đầu người dưới 8 m²."),
            ("Nước sinh hoạt và vệ sinh", "nguon-nuoc", "Nguồn nước sinh hoạt", "Hộ không được tiếp cận nguồn nước sinh hoạt an toàn (hợp vệ sinh)."),
            ("Nước sinh hoạt và vệ sinh", "nha-tieu", "Nhà tiêu hợp vệ sinh", "Hộ không sử dụng nhà tiêu hợp vệ sinh."),
            ("Thông tin", "vien-thong", "Sử dụng dịch vụ viễn thông",
             "Hộ không có thành viên nào sử dụng thuê bao điện thoại hoặc Internet."),
            ("Thông tin", "phuong-tien-thong-tin", "Phương tiện phục vụ tiếp cận thông tin",
             "Hộ không có phương tiện nào trong số ti vi, radio, máy tính VÀ không nghe được hệ thống loa truyền thanh xã/thôn."),
        ],
    },
    {
        "code": "nd351-2025",
        "name": "Chuẩn nghèo đa chiều giai đoạn 2027–2030",
        "legal_basis": "Nghị định 351/2025/NĐ-CP",
        "rule": "income_and_deprivation",
        "year_from": 2027,
        "year_to": 2030,
        "poverty_line_rural": 2_200_000,
        "poverty_line_urban": 2_800_000,
        "near_poverty_line_rural": None,
        "near_poverty_line_urban": None,
        "medium_upper_rural": None,
        "medium_upper_urban": None,
        "deprivation_threshold": 3,
        "provisional": True,
        "notes": (
            "Mức thu nhập theo văn bản đã ban hành. Danh mục chỉ số lấy theo dự thảo tháng 9/2025 (bỏ chỉ số phương tiện "
            "tiếp cận thông tin; thêm xử lý rác thải): TẠM THỜI, chưa xác nhận. Chưa có quy định mức sống trung bình."
        ),
        "indicators": [
            ("Việc làm", "viec-lam", "Việc làm", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Việc làm", "nguoi-phu-thuoc", "Người phụ thuộc trong hộ gia đình", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Y tế", "bao-hiem-y-te", "Bảo hiểm y tế", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Y tế", "dinh-duong", "Dinh dưỡng", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Giáo dục", "giao-duc-nguoi-lon", "Trình độ giáo dục của người lớn", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Giáo dục", "tre-em-di-hoc", "Tình trạng đi học của trẻ em", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Nhà ở", "dien-tich-nha-o", "Diện tích nhà ở bình quân đầu người", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Nhà ở", "chat-luong-nha-o", "Chất lượng nhà ở", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Thông tin", "vien-thong", "Sử dụng dịch vụ viễn thông, Internet",
             "Theo dự thảo: hộ không có thành viên nào sử dụng dịch vụ viễn thông, Internet."),
            ("Nước sinh hoạt, vệ sinh và môi trường", "nguon-nuoc", "Nguồn nước sinh hoạt", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Nước sinh hoạt, vệ sinh và môi trường", "nha-tieu", "Nhà tiêu hợp vệ sinh", "Theo dự thảo: như giai đoạn 2022–2025."),
            ("Nước sinh hoạt, vệ sinh và môi trường", "xu-ly-rac-thai", "Xử lý rác thải sinh hoạt",
             "Theo dự thảo: hộ không có biện pháp thu gom, xử lý rác thải sinh hoạt."),
        ],
    },
]

POLICY_GROUPS = [
    ("dan-toc-thieu-so", "Hộ dân tộc thiểu số"),
    ("nguoi-co-cong", "Hộ có người có công với cách mạng"),
    ("bao-tro-xa-hoi", "Hộ thuộc đối tượng bảo trợ xã hội"),
    ("khuyet-tat", "Hộ có người khuyết tật"),
    ("nguoi-cao-tuoi", "Hộ có người cao tuổi"),
    ("tre-mo-coi", "Hộ có trẻ em mồ côi"),
]

CAUSES = [
    ("thieu-von", "Thiếu vốn sản xuất"),
    ("thieu-dat", "Thiếu đất sản xuất"),
    ("thieu-phuong-tien", "Thiếu phương tiện, công cụ sản xuất"),
    ("thieu-lao-dong", "Thiếu lao động"),
    ("thieu-kien-thuc", "Thiếu kiến thức, kỹ năng sản xuất"),
    ("thieu-viec-lam", "Thiếu việc làm"),
    ("dong-nguoi-phu-thuoc", "Đông người ăn theo, nhiều người phụ thuộc"),
    ("om-dau", "Có người ốm đau, bệnh nặng, tai nạn"),
    ("thien-tai", "Rủi ro thiên tai"),
    ("te-nan", "Mắc tệ nạn xã hội"),
    ("luoi-lao-dong", "Chây lười lao động"),
    ("khac", "Khác"),
]


def load(apps, schema_editor):
    PovertyStandard = apps.get_model("households", "PovertyStandard")
    Indicator = apps.get_model("households", "Indicator")
    PolicyGroup = apps.get_model("households", "PolicyGroup")
    PovertyCause = apps.get_model("households", "PovertyCause")
    for data in STANDARDS:
        data = dict(data)
        indicators = data.pop("indicators")
        standard, _ = PovertyStandard.objects.update_or_create(code=data["code"], defaults=data)
        for order, (dimension, code, name, definition) in enumerate(indicators, start=1):
            Indicator.objects.update_or_create(
                standard=standard,
                code=code,
                defaults={
                    "order": order,
                    "dimension": dimension,
                    "name": name,
                    "definition": definition,
                    "provisional": standard.provisional,
                },
            )
    for order, (code, name) in enumerate(POLICY_GROUPS, start=1):
        PolicyGroup.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name) in enumerate(CAUSES, start=1):
        PovertyCause.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

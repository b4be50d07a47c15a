<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>AppController</name>
    <message>
        <location filename="../../briefing/gui/app.py" line="+133"/>
        <source>Recovered the autosaved brief</source>
        <translation>استُعيدت المذكرة المحفوظة تلقائياً</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../briefing/gui/export_dialog.py" line="+49"/>
        <source>Export brief</source>
        <translation>تصدير المذكرة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Word (.docx)</source>
        <translation>وورد (⁦.docx⁩)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Arabic</source>
        <translation>العربية</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;English</source>
        <translation>الإنجليزية</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Bilingual</source>
        <translation>ثنائية اللغة</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Export folder</source>
        <translation>مجلد التصدير</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation>استعراض…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose export folder</source>
        <translation>اختيار مجلد التصدير</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Formats:</source>
        <translation>الصيغ:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Languages:</source>
        <translation>اللغات:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder:</source>
        <translation>المجلد:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export progress</source>
        <translation>تقدم التصدير</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export status</source>
        <translation>حالة التصدير</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Export</source>
        <translation>تصدير</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Show in folder</source>
        <translation>عرض في المجلد</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Change languages</source>
        <translation>تغيير اللغات</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not accepted</source>
        <translation>غير مقبول</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Exporting…</source>
        <translation>جارٍ التصدير…</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Writing {0}…</source>
        <translation>جارٍ كتابة {0}…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Exported {0} to {1}</source>
        <translation>صُدِّر {0} إلى {1}</translation>
    </message>
    <message>
        <location line="-54"/>
        <location line="+67"/>
        <source>Nothing was written.</source>
        <translation>لم يُكتب أي ملف.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export failed</source>
        <translation>تعذّر التصدير</translation>
    </message>
</context>
<context>
    <name>FigureDelegate</name>
    <message>
        <location filename="../../briefing/gui/figures_view.py" line="+70"/>
        <source>Allowed: {0}.</source>
        <translation>المسموح: {0}.</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Unit</source>
        <translation>الوحدة</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Qualifier</source>
        <translation>الوصف</translation>
    </message>
</context>
<context>
    <name>FigureEditor</name>
    <message>
        <location line="+53"/>
        <source>Arabic</source>
        <translation>العربية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>English</source>
        <translation>الإنجليزية</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Language of labels and sources</source>
        <translation>لغة التسميات والمصادر</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Labels and sources in:</source>
        <translation>التسميات والمصادر باللغة:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Figures</source>
        <translation>الأرقام</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Figure problem</source>
        <translation>مشكلة في الرقم</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Reset to library value</source>
        <translation>إعادة إلى قيمة المكتبة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset the selected figures to library values</source>
        <translation>إعادة الأرقام المحددة إلى قيم المكتبة</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reset &amp;all</source>
        <translation>إعادة الكل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset every figure to its library value</source>
        <translation>إعادة كل الأرقام إلى قيم المكتبة</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Yellow: changed from the library. Red: not accepted.</source>
        <translation>الأصفر: معدَّل عن المكتبة. الأحمر: غير مقبول.</translation>
    </message>
</context>
<context>
    <name>FigureTableModel</name>
    <message>
        <location filename="../../briefing/gui/models.py" line="+507"/>
        <source>from {0} to {1}</source>
        <translation>من {0} إلى {1}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>at least {0}</source>
        <translation>{0} على الأقل</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>at most {0}</source>
        <translation>{0} على الأكثر</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>a whole year</source>
        <translation>سنة كاملة</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{0}: “{1}” is not a number.</source>
        <translation>{0}: “{1}” ليس رقمًا.</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+52"/>
        <source>Allowed: {0}.</source>
        <translation>المسموح: {0}.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{0}: {1} is not allowed. Allowed: {2}.</source>
        <translation>{0}: القيمة {1} غير مسموح بها. المسموح: {2}.</translation>
    </message>
    <message>
        <location line="-166"/>
        <source>Label</source>
        <translation>التسمية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Value</source>
        <translation>القيمة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>الوحدة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qualifier</source>
        <translation>الوصف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source</source>
        <translation>المصدر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As of</source>
        <translation>بتاريخ</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>Library: {0}</source>
        <translation>في المكتبة: {0}</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Change {0} of {1}</source>
        <translation>تعديل {0} في {1}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Reset figures to library values</source>
        <translation>إعادة الأرقام إلى قيم المكتبة</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../briefing/gui/mainwindow.py" line="+128"/>
        <source>Status</source>
        <translation>الحالة</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>&amp;New</source>
        <translation>جديد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start a new brief</source>
        <translation>بدء مذكرة جديدة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open…</source>
        <translation>فتح…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a .brief file</source>
        <translation>فتح ملف ⁦.brief⁩</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save</source>
        <translation>حفظ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the brief</source>
        <translation>حفظ المذكرة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save &amp;As…</source>
        <translation>حفظ باسم…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the brief under a new name</source>
        <translation>حفظ المذكرة باسم جديد</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export…</source>
        <translation>تصدير…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export PDF and Word files</source>
        <translation>تصدير ملفات PDF ووورد</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>خروج</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>تراجع</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Redo</source>
        <translation>إعادة</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Add your section…</source>
        <translation>إضافة قسم خاص بك…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Write a section of your own</source>
        <translation>كتابة قسم خاص بك</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Edit your section…</source>
        <translation>تحرير قسمك…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;move your section</source>
        <translation>حذف قسمك</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move section &amp;up</source>
        <translation>نقل القسم إلى الأعلى</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move section &amp;down</source>
        <translation>نقل القسم إلى الأسفل</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Refresh preview</source>
        <translation>تحديث المعاينة</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Preview &amp;Arabic</source>
        <translation>معاينة العربية</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Preview &amp;English</source>
        <translation>معاينة الإنجليزية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preview &amp;bilingual</source>
        <translation>معاينة النسخة الثنائية</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Customise template…</source>
        <translation>تخصيص القالب…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Settings…</source>
        <translation>الإعدادات…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;About Briefing</source>
        <translation>عن برنامج «Briefing»</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;File</source>
        <translation>ملف</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;Recent</source>
        <translation>الملفات الأخيرة</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Edit</source>
        <translation>تحرير</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;View</source>
        <translation>عرض</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Tools</source>
        <translation>أدوات</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Help</source>
        <translation>مساعدة</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Main</source>
        <translation>الشريط الرئيسي</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Undo</source>
        <translation>تراجع</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Redo</source>
        <translation>إعادة</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Export and preview the brief in {0}</source>
        <translation>تصدير المذكرة ومعاينتها بـ{0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pre&amp;view:</source>
        <translation>المعاينة:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Language of the preview</source>
        <translation>لغة المعاينة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Which of the brief&apos;s languages the preview shows</source>
        <translation>أيّ لغات المذكرة تعرضها المعاينة</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Brief editor</source>
        <translation>محرر المذكرة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Sections</source>
        <translation>الأقسام</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Figures</source>
        <translation>الأرقام</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Brief</source>
        <translation>المذكرة</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Tick the sections to include; drag them (or Alt+Up/Down) to change the order. Your own sections are in italics.</source>
        <translation>حدّد الأقسام المطلوبة، واسحبها (أو استخدم Alt مع السهمين) لتغيير ترتيبها. أقسامك الخاصة مكتوبة بخط مائل.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sections of the brief</source>
        <translation>أقسام المذكرة</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Add…</source>
        <translation>إضافة…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add your own section</source>
        <translation>إضافة قسم خاص بك</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit…</source>
        <translation>تحرير…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+325"/>
        <source>Edit your section</source>
        <translation>تحرير قسمك</translation>
    </message>
    <message>
        <location line="-323"/>
        <source>Remove</source>
        <translation>حذف</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+333"/>
        <source>Remove your section</source>
        <translation>حذف قسمك</translation>
    </message>
    <message>
        <location line="-331"/>
        <source>Up</source>
        <translation>أعلى</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move section up</source>
        <translation>نقل القسم إلى الأعلى</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Down</source>
        <translation>أسفل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Move section down</source>
        <translation>نقل القسم إلى الأسفل</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Cover</source>
        <translation>الغلاف</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Title (Arabic):</source>
        <translation>العنوان (بالعربية):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Title (English):</source>
        <translation>العنوان (بالإنجليزية):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Subtitle (Arabic):</source>
        <translation>العنوان الفرعي (بالعربية):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Subtitle (English):</source>
        <translation>العنوان الفرعي (بالإنجليزية):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;To (Arabic):</source>
        <translation>إلى (بالعربية):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To (English):</source>
        <translation>إلى (بالإنجليزية):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;From (Arabic):</source>
        <translation>من (بالعربية):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From (English):</source>
        <translation>من (بالإنجليزية):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dated</source>
        <translation>مؤرخة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The brief carries a date</source>
        <translation>تحمل المذكرة تاريخاً</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Date of the brief</source>
        <translation>تاريخ المذكرة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Date:</source>
        <translation>التاريخ:</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reference</source>
        <translation>المرجع</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Edit reference</source>
        <translation>تعديل المرجع</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Reference:</source>
        <translation>المرجع:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Security marking</source>
        <translation>التصنيف الأمني</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <location line="+110"/>
        <source>Use the template&apos;s marking</source>
        <translation>استخدام تصنيف القالب</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>&amp;Marking (Arabic):</source>
        <translation>التصنيف (بالعربية):</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Marking (English):</source>
        <translation>التصنيف (بالإنجليزية):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Output</source>
        <translation>الإخراج</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Template</source>
        <translation>القالب</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Customise…</source>
        <translation>تخصيص…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customise the template</source>
        <translation>تخصيص القالب</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Tem&amp;plate:</source>
        <translation>القالب:</translation>
    </message>
    <message>
        <location line="-201"/>
        <location line="+206"/>
        <source>Arabic</source>
        <translation>العربية</translation>
    </message>
    <message>
        <location line="-206"/>
        <location line="+206"/>
        <source>English</source>
        <translation>الإنجليزية</translation>
    </message>
    <message>
        <location line="-205"/>
        <location line="+206"/>
        <source>Bilingual</source>
        <translation>ثنائية اللغة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export in {0}</source>
        <translation>التصدير بـ{0}</translation>
    </message>
    <message>
        <location line="-257"/>
        <location line="+262"/>
        <source>Languages:</source>
        <translation>اللغات:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Digits in Arabic text</source>
        <translation>الأرقام في النص العربي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Western (0123)</source>
        <translation>غربية (0123)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Arabic-Indic (٠١٢٣)</source>
        <translation>هندية (٠١٢٣)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change digits</source>
        <translation>تغيير الأرقام</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Di&amp;gits in Arabic:</source>
        <translation>الأرقام في العربية:</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{0} (yours)</source>
        <translation>{0} (خاص بك)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{0} (not found)</source>
        <translation>{0} (غير موجود)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Not accepted</source>
        <translation>غير مقبول</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>subtitle</source>
        <translation>العنوان الفرعي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recipient</source>
        <translation>المرسل إليه</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>drafter</source>
        <translation>المحرر</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>marking</source>
        <translation>التصنيف</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit {0}</source>
        <translation>تعديل {0}</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <source>Change date</source>
        <translation>تغيير التاريخ</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Set the brief&apos;s own marking</source>
        <translation>تصنيف خاص بالمذكرة</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+309"/>
        <source>Change template</source>
        <translation>تغيير القالب</translation>
    </message>
    <message>
        <location line="-613"/>
        <location line="+308"/>
        <source>Change languages</source>
        <translation>تغيير اللغات</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Add your section</source>
        <translation>إضافة قسمك</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>{0} of {1} sections included</source>
        <translation>الأقسام المدرجة: {0} من {1}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>New brief</source>
        <translation>مذكرة جديدة</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Preview language changed</source>
        <translation>تغيّرت لغة المعاينة</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Cannot open the brief</source>
        <translation>تعذّر فتح المذكرة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Opened {0}</source>
        <translation>فُتح {0}</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Cannot save the brief</source>
        <translation>تعذّر حفظ المذكرة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved {0}</source>
        <translation>حُفظ {0}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>No recent briefs</source>
        <translation>لا توجد مذكرات حديثة</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Clear the list</source>
        <translation>مسح القائمة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Autosaved at {0}</source>
        <translation>حُفظت تلقائياً الساعة {0}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Cannot customise the template</source>
        <translation>تعذّر تخصيص القالب</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>About Briefing</source>
        <translation>عن برنامج «Briefing»</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Briefing {0}
Assemble Arabic, English and bilingual briefs and export them as PDF and Word.</source>
        <translation>Briefing {0}
إعداد مذكرات الإحاطة بالعربية والإنجليزية وبنسخة ثنائية اللغة، وتصديرها بصيغتي PDF ووورد.</translation>
    </message>
</context>
<context>
    <name>PageSample</name>
    <message>
        <location filename="../../briefing/gui/template_dialog.py" line="+48"/>
        <source>Sample page</source>
        <translation>صفحة نموذجية</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <location filename="../../briefing/gui/preview.py" line="+203"/>
        <source>Zoom</source>
        <translation>التكبير</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zoom (Ctrl+wheel, Ctrl++ and Ctrl+-)</source>
        <translation>التكبير (Ctrl مع عجلة الفأرة، Ctrl++ و Ctrl+-)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit page</source>
        <translation>ملء الصفحة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit width</source>
        <translation>ملء العرض</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>Preview of the exported pages</source>
        <translation>معاينة الصفحات المصدَّرة</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Arabic</source>
        <translation>العربية</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Preview the Arabic brief</source>
        <translation>معاينة المذكرة العربية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>English</source>
        <translation>الإنجليزية</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Preview the English brief</source>
        <translation>معاينة المذكرة الإنجليزية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bilingual</source>
        <translation>ثنائية اللغة</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Preview the bilingual brief</source>
        <translation>معاينة المذكرة الثنائية اللغة</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Preview status</source>
        <translation>حالة المعاينة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Previous page (Page Up)</source>
        <translation>الصفحة السابقة (Page Up)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Previous page</source>
        <translation>الصفحة السابقة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Page number</source>
        <translation>رقم الصفحة</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Next page (Page Down)</source>
        <translation>الصفحة التالية (Page Down)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next page</source>
        <translation>الصفحة التالية</translation>
    </message>
    <message>
        <location line="+126"/>
        <source>Updating…</source>
        <translation>جارٍ التحديث…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Preview not updated</source>
        <translation>لم تُحدَّث المعاينة</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>of {0}</source>
        <translation>من {0}</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <location filename="../../briefing/gui/prompts.py" line="+27"/>
        <source>Unsaved changes</source>
        <translation>تغييرات غير محفوظة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the changes to {0}?</source>
        <translation>هل تريد حفظ التغييرات في {0}؟</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the new brief</source>
        <translation>المذكرة الجديدة</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Recover your brief?</source>
        <translation>استعادة مذكرتك؟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Briefing did not close properly. A copy of your brief was saved automatically at {0}. Recover it?</source>
        <translation>لم يُغلق البرنامج على نحو سليم. حُفظت نسخة من مذكرتك تلقائياً في {0}. هل تريد استعادتها؟</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Replace another brief&apos;s files?</source>
        <translation>استبدال ملفات مذكرة أخرى؟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>These files in the folder were exported from another brief:
{0}
Replace them?</source>
        <translation>صُدِّرت هذه الملفات في المجلد من مذكرة أخرى:
{0}
هل تريد استبدالها؟</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Open brief</source>
        <translation>فتح مذكرة</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+7"/>
        <source>Briefs (*.brief)</source>
        <translation>المذكرات (*.brief)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Save brief</source>
        <translation>حفظ المذكرة</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export to folder</source>
        <translation>التصدير إلى مجلد</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose a logo</source>
        <translation>اختيار شعار</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>الصور (*.png *.jpg *.jpeg)</translation>
    </message>
</context>
<context>
    <name>SectionDialog</name>
    <message>
        <location filename="../../briefing/gui/section_dialog.py" line="+156"/>
        <source>Edit your section</source>
        <translation>تحرير قسمك</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add your section</source>
        <translation>إضافة قسمك</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Section id</source>
        <translation>معرّف القسم</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+22"/>
        <location line="+61"/>
        <source>Arabic</source>
        <translation>العربية</translation>
    </message>
    <message>
        <location line="-82"/>
        <location line="+21"/>
        <location line="+61"/>
        <source>English</source>
        <translation>الإنجليزية</translation>
    </message>
    <message>
        <location line="-79"/>
        <source>&amp;Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Body</source>
        <translation>النص</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Key point</source>
        <translation>النقطة الرئيسية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Talking &amp;points
(one per line)</source>
        <translation>نقاط الحديث
(نقطة في كل سطر)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Insert a figure</source>
        <translation>إدراج رقم</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Insert a figure at the cursor…</source>
        <translation>إدراج رقم عند المؤشر…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Charts shown after the section</source>
        <translation>الرسوم البيانية بعد القسم</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Figures:</source>
        <translation>الأرقام:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Charts:</source>
        <translation>الرسوم البيانية:</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Preview</source>
        <translation>معاينة</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Section preview</source>
        <translation>معاينة القسم</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Preview in {0}</source>
        <translation>المعاينة بـ{0}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Problem with the section</source>
        <translation>مشكلة في القسم</translation>
    </message>
</context>
<context>
    <name>SectionListModel</name>
    <message>
        <location filename="../../briefing/gui/models.py" line="-450"/>
        <source>{id} (not in the library)</source>
        <translation>{id} (غير موجود في المكتبة)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This brief names a section the library does not have.</source>
        <translation>تذكر هذه المذكرة قسماً غير موجود في المكتبة.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your section</source>
        <translation>قسم خاص بك</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Library section</source>
        <translation>قسم من المكتبة</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>included</source>
        <translation>مدرج</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not included</source>
        <translation>غير مدرج</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Include section</source>
        <translation>إدراج قسم</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Leave out section</source>
        <translation>استبعاد قسم</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Reorder sections</source>
        <translation>إعادة ترتيب الأقسام</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../briefing/gui/settings_dialog.py" line="+16"/>
        <source>Settings</source>
        <translation>الإعدادات</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Interface language</source>
        <translation>لغة الواجهة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>As the system (default)</source>
        <translation>حسب النظام (افتراضي)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Interface language:</source>
        <translation>لغة الواجهة:</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <location filename="../../briefing/gui/template_dialog.py" line="+95"/>
        <source>Customise template</source>
        <translation>تخصيص القالب</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New template id</source>
        <translation>معرّف القالب الجديد</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Template name (Arabic)</source>
        <translation>اسم القالب (بالعربية)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Template name (English)</source>
        <translation>اسم القالب (بالإنجليزية)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Marking (Arabic)</source>
        <translation>التصنيف (بالعربية)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Marking (English)</source>
        <translation>التصنيف (بالإنجليزية)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Name (Arabic):</source>
        <translation>الاسم (بالعربية):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name (English):</source>
        <translation>الاسم (بالإنجليزية):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Marking (Arabic):</source>
        <translation>التصنيف (بالعربية):</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marking (English):</source>
        <translation>التصنيف (بالإنجليزية):</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Colours</source>
        <translation>الألوان</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Colour: {0}</source>
        <translation>اللون: {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pick colour: {0}</source>
        <translation>اختيار اللون: {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Fonts</source>
        <translation>الخطوط</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Arabic font</source>
        <translation>الخط العربي</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Latin font</source>
        <translation>الخط اللاتيني</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Arabic:</source>
        <translation>العربي:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Latin:</source>
        <translation>اللاتيني:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Margins (mm)</source>
        <translation>الهوامش (مم)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Top</source>
        <translation>أعلى</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bottom</source>
        <translation>أسفل</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Left</source>
        <translation>يسار</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Right</source>
        <translation>يمين</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Margin: {0}</source>
        <translation>الهامش: {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Logo</source>
        <translation>الشعار</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Logo file</source>
        <translation>ملف الشعار</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose…</source>
        <translation>اختيار…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a logo file</source>
        <translation>اختيار ملف الشعار</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No logo</source>
        <translation>بلا شعار</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the logo</source>
        <translation>إزالة الشعار</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Problem with the template</source>
        <translation>مشكلة في القالب</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Headings and title</source>
        <translation>العناوين والعنوان الرئيسي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accent</source>
        <translation>لون التمييز</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Body text</source>
        <translation>نص المتن</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Secondary text</source>
        <translation>النص الثانوي</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rules</source>
        <translation>الخطوط الفاصلة</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Table header</source>
        <translation>رأس الجدول</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Table header text</source>
        <translation>نص رأس الجدول</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Table stripes</source>
        <translation>تظليل صفوف الجدول</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key-point box</source>
        <translation>إطار النقاط الرئيسية</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Marking</source>
        <translation>التصنيف</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>None</source>
        <translation>لا يوجد</translation>
    </message>
</context>
</TS>

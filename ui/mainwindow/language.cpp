#include "language.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace Gui {

namespace {

const QString kResourceDir = QStringLiteral(":/i18n");
const QString kPrefix = QStringLiteral("pulsar-desk_");

} // namespace

QList<Language::Choice> Language::available()
{
    QList<Choice> choices{{QString(), QCoreApplication::translate("Gui::Language", "System language")},
                          {QStringLiteral("en"), QStringLiteral("English")}};
    const QStringList files = QDir(kResourceDir).entryList({kPrefix + QStringLiteral("*.qm")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QString code = file.mid(kPrefix.size()).chopped(3);
        const QLocale locale(code);
        QString name = locale.nativeLanguageName();
        if (code.contains(QLatin1Char('_')) && locale.script() == QLocale::SimplifiedHanScript)
            name = QStringLiteral("简体中文");
        choices.append({code, name.isEmpty() ? code : name});
    }
    return choices;
}

QString Language::install(QCoreApplication *app, const QString &code)
{
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    auto *ours = new QTranslator(app);
    QString used = QStringLiteral("en");
    // The locale overload tries every UI language of the locale in turn ("de_AT" -> "de"), the system's included.
    if (ours->load(locale, QStringLiteral("pulsar-desk"), QStringLiteral("_"), kResourceDir)) {
        QCoreApplication::installTranslator(ours);
        used = QFileInfo(ours->filePath()).completeBaseName().mid(kPrefix.size());
    } else {
        delete ours;
    }
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return used;
}

} // namespace Gui

#pragma once

#include <QList>
#include <QString>

class QCoreApplication;

namespace Gui {

// The user interface's languages: the translations compiled into the app (translations/pulsar-desk_<code>.ts, as
// :/i18n/pulsar-desk_<code>.qm) and Qt's own for its standard dialogs. The language comes from the system unless the
// Language setting (or --language) names one.
class Language final
{
public:
    struct Choice
    {
        QString code;        // "de", "zh_CN"; empty: the system's
        QString displayName; // in the language itself ("Deutsch", "简体中文")
    };

    // English (built in) and every language with a compiled translation, plus "System" first.
    static QList<Choice> available();
    // Installs the translators for code (the system's languages when empty) on app. Returns the language actually
    // used ("en" when no translation matched).
    static QString install(QCoreApplication *app, const QString &code);
};

} // namespace Gui

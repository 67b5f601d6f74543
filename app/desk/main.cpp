// pulsar-desk: the desktop client. main() only parses the command line, builds the services the window works
// with and shows it; everything else lives in ui/ and core/.
#include "mainwindow/language.h"
#include "mainwindow/mainwindow.h"

#include "local/localservice.h"
#include "secrets/keychainsecretstore.h"
#include "settings/profilestore.h"
#include "settings/settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <memory>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pulsar-desk"));
    QApplication::setOrganizationName(QStringLiteral("pulsar-desk"));
    QApplication::setApplicationDisplayName(QStringLiteral("Pulsar Desk"));
    QApplication::setApplicationVersion(QStringLiteral(PDESK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("io.github.pulsar_desk.PulsarDesk"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "A desktop client for Apache Pulsar's WebSocket API, with a bundled local "
                                        "Pulsar-compatible service."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption settingsOption(
        QStringLiteral("settings"), QApplication::translate("main", "Use this settings file instead of the user's."),
        QStringLiteral("file"));
    const QCommandLineOption dataDirOption(
        QStringLiteral("local-data-dir"),
        QApplication::translate("main", "Where the bundled local service keeps its data."), QStringLiteral("dir"));
    const QCommandLineOption noLocalOption(
        QStringLiteral("no-local-service"),
        QApplication::translate("main", "Do not start the bundled local service on start-up."));
    const QCommandLineOption languageOption(
        QStringLiteral("language"),
        QApplication::translate("main", "The language of the user interface, e.g. de or zh_CN (default: the "
                                        "system's, or the one chosen in the settings)."),
        QStringLiteral("code"));
    parser.addOptions({settingsOption, dataDirOption, noLocalOption, languageOption});
    parser.process(app);

    std::unique_ptr<Pulsar::Settings> settings = parser.isSet(settingsOption)
                                                     ? std::make_unique<Pulsar::Settings>(parser.value(settingsOption))
                                                     : std::make_unique<Pulsar::Settings>();
    Gui::Language::install(&app, parser.isSet(languageOption) ? parser.value(languageOption)
                                                              : settings->value(Pulsar::Settings::Language).toString());

    Pulsar::ProfileStore profiles(settings.get());
    Pulsar::KeychainSecretStore secrets;
    Pulsar::LocalService localService(settings.get());
    profiles.setLocalService(&localService);
    if (parser.isSet(dataDirOption))
        localService.setDataDir(parser.value(dataDirOption));

    Gui::AppServices services;
    services.settings = settings.get();
    services.profiles = &profiles;
    services.secrets = &secrets;
    services.localService = &localService;
    Gui::MainWindow window(services);
    window.show();

    const QString active = settings->value(Pulsar::Settings::ActiveProfile).toString();
    const bool startLocal =
        !parser.isSet(noLocalOption) && settings->value(Pulsar::Settings::LocalServiceAutoStart).toBool();
    if (active != Pulsar::ProfileStore::localName() || startLocal)
        QTimer::singleShot(0, &window, [&window, active] { window.connectToProfile(active); });

    const int code = QApplication::exec();
    localService.stop();
    return code;
}

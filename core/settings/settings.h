#pragma once

#include <QObject>
#include <QString>
#include <QVariant>

#include <memory>

class QSettings;

namespace Pulsar {

// The desktop app's preferences: ONE table of keys with their QSettings path and default (settings.cpp), backed by
// QSettings. The app uses the normal per-user location (organization and application "pulsar-desk"); tests build a
// temporary instance on an ini file in a QTemporaryDir so they never touch the user's settings.
//
// Never a secret: tokens and passwords do not go into settings, because the settings file is plain text that
// backups, dotfile repositories and support bundles copy around. Tokens live in a SecretStore (the system keychain)
// or in memory for the session; ProfileStore strips them before it writes a profile here.
class Settings final : public QObject
{
    Q_OBJECT
public:
    enum Key
    {
        WindowGeometry,        // QByteArray, QWidget::saveGeometry()
        WindowState,           // QByteArray, QMainWindow::saveState()
        OpenPanels,            // QVariant blob the main window writes (the panels to restore)
        ActiveProfile,         // QString, "Local"
        MessageTableCap,       // int, rows kept in a message table
        LogCap,                // int, rows kept in the log pane
        Language,              // QString, empty = the system's
        LocalServicePort,      // int, the preferred port of the bundled service
        LocalServiceDataDir,   // QString, empty = QStandardPaths::AppDataLocation + "/local-service"
        LocalServiceAutoStart, // bool, start the bundled service with the app
        LocalServiceSync,      // QString, the proxy's --sync: "always", "interval" or "none"
        StatsRefreshSeconds,   // int, topic statistics refresh period
        ConnectionProfiles,    // QString, ProfileStore's JSON (never holding a token)
        KeyCount
    };
    Q_ENUM(Key)

    // The app's instance: QSettings' native per-user location for "pulsar-desk"/"pulsar-desk".
    explicit Settings(QObject *parent = nullptr);
    // An instance on an ini file (tests, portable installs).
    explicit Settings(const QString &iniFile, QObject *parent = nullptr);
    ~Settings() override;

    QVariant value(Key key) const;
    void setValue(Key key, const QVariant &value);
    // Back to the default (the entry is removed from the file).
    void reset(Key key);
    static QVariant defaultValue(Key key);
    static QString path(Key key);

    // Dynamic keys (per-panel state and the like) under a path of the caller's choosing. Do not pass a secret.
    QVariant value(const QString &path, const QVariant &defaultValue = QVariant()) const;
    void setValue(const QString &path, const QVariant &value);
    void remove(const QString &path);

    // Writes pending changes to disk (QSettings also does it on its own, later).
    void sync();
    // The file behind this instance (for the tests that read it back).
    QString fileName() const;

Q_SIGNALS:
    void changed(Pulsar::Settings::Key key);

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace Pulsar

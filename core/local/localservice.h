#pragma once

#include "client/connectionprofile.h"

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>
#include <QUrl>

namespace Pulsar {

class Settings;

// The bundled local service, pulsar-desk-proxy, run as a CHILD PROCESS of the desktop app rather than in-process:
// - crash isolation: a fault in the service cannot take the GUI down, and a GUI crash does not corrupt the store;
// - its disk threads and fsyncs (group commit, --sync always) never compete with the GUI's event loop, and the
//   kernel schedules it on the other core;
// - it is the very same program users run standalone and scripts start with --port 0, so what the app shows is
//   what they get;
// - its store, guarded by the flock'ed LOCK file in the data directory, survives an app crash intact, and a second
//   app instance cannot open it twice.
//
// The program: an explicit path if set, else pulsar-desk-proxy next to the app (both are built into build/.../app/
// and installed into bin/), else PATH. The data directory: the LocalServiceDataDir setting, else
// QStandardPaths::AppDataLocation + "/local-service". The port: the LocalServicePort setting; when the service exits
// at start because that port is taken, it is started once more on port 0 (any free port) and a log line says so.
// The URL is the first line the program prints on stdout. Everything is asynchronous: stop() sends SIGTERM (the
// program then commits, closes its sessions and exits) and SIGKILL after 10 s; nothing waits on the GUI thread
// except the destructor's short bounded wait, so that quitting the app leaves no orphan behind. On Linux the child
// also gets SIGTERM if the app dies without running its destructor (PR_SET_PDEATHSIG).
class LocalService final : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Stopped,
        Starting,
        Running,
        Stopping,
        Failed,
    };
    Q_ENUM(State)

    explicit LocalService(Settings *settings, QObject *parent = nullptr);
    ~LocalService() override;

    // Overrides the program lookup (tests, packagers). Empty: next to the app, then PATH.
    void setBinaryPath(const QString &path) { m_binaryPath = path; }
    QString binaryPath() const { return m_binaryPath; }
    // The program start() would run, or empty when there is none.
    QString resolvedBinary() const;

    // Starting/Running: nothing. Otherwise starts the program; the outcome arrives through stateChanged.
    void start();
    // SIGTERM, SIGKILL after killTimeoutMs. Stopped at once when nothing runs.
    void stop();

    State state() const { return m_state; }
    static QString stateText(State state);
    QUrl url() const;      // ws://127.0.0.1:port while Running, else empty
    QUrl adminUrl() const; // http://127.0.0.1:port while Running, else empty
    quint16 port() const { return m_port; }
    // The child's process id while it runs, else 0 (diagnostics and tests).
    qint64 processId() const { return m_process ? m_process->processId() : 0; }
    QString dataDir() const; // the directory start() uses
    // Overrides the LocalServiceDataDir setting for this run only (the app's --local-data-dir, tests).
    void setDataDir(const QString &dir) { m_dataDirOverride = dir; }
    QString errorText() const { return m_errorText; }
    // The last lines the program wrote to stderr (at most kStderrLines).
    QStringList recentStderr() const { return m_stderrLines; }

    // The built-in "Local" profile for the current URL (the preferred port while not running).
    ConnectionProfile localProfile() const;

    static constexpr int kStderrLines = 20;
    static constexpr int kStartTimeoutMs = 20000;
    static constexpr int kKillTimeoutMs = 10000;

Q_SIGNALS:
    void stateChanged(Pulsar::LocalService::State state);
    // One line of the program's stderr, or a line about the service's life (fallback port, exits).
    void logLine(const QString &line);

private:
    void launch(quint16 port);
    void onStdout();
    void onStderr();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void onStartTimeout();
    void fail(const QString &text);
    void setState(State state);
    QString stderrTail() const;
    void discardProcess();

    Settings *m_settings;
    QString m_binaryPath;
    QString m_dataDirOverride;
    QProcess *m_process = nullptr;
    State m_state = State::Stopped;
    quint16 m_port = 0;
    quint16 m_requestedPort = 0;
    bool m_retriedOnFreePort = false;
    QString m_errorText;
    QByteArray m_stdout;
    QByteArray m_stderrPartial;
    QStringList m_stderrLines;
    QTimer m_startTimer;
    QTimer m_killTimer;
};

} // namespace Pulsar

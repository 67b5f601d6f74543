#include "localservice.h"

#include "settings/settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace Pulsar {

namespace {

const QString kProgramName = QStringLiteral("pulsar-desk-proxy");
// The program's own words when the port is taken (app/proxy/main.cpp: "cannot listen on host:port: ...").
const QByteArray kListenFailure = "cannot listen on";
// A first stdout line longer than this is not a URL.
constexpr int kMaxStdoutBytes = 4096;
// A stderr line longer than this is cut into pieces, so one runaway line cannot grow without bound.
constexpr int kMaxStderrLineBytes = 16 * 1024;

} // namespace

LocalService::LocalService(Settings *settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    m_startTimer.setSingleShot(true);
    m_startTimer.setInterval(kStartTimeoutMs);
    connect(&m_startTimer, &QTimer::timeout, this, &LocalService::onStartTimeout);
    m_killTimer.setSingleShot(true);
    m_killTimer.setInterval(kKillTimeoutMs);
    connect(&m_killTimer, &QTimer::timeout, this, [this] {
        if (m_process && m_process->state() != QProcess::NotRunning) {
            Q_EMIT logLine(tr("The local service did not stop within %1 s; killing it").arg(kKillTimeoutMs / 1000));
            m_process->kill();
        }
    });
}

LocalService::~LocalService()
{
    m_startTimer.stop();
    m_killTimer.stop();
    if (!m_process)
        return;
    disconnect(m_process, nullptr, this, nullptr);
    if (m_process->state() != QProcess::NotRunning) {
        // The one bounded wait: the app is going away and must not leave the service running on its own. The
        // program commits and exits on SIGTERM well within this.
        m_process->terminate();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(1000);
        }
    }
}

QString LocalService::resolvedBinary() const
{
    if (!m_binaryPath.isEmpty()) {
        const QFileInfo info(m_binaryPath);
        return info.isFile() && info.isExecutable() ? info.absoluteFilePath() : QString();
    }
    const QString beside = QStandardPaths::findExecutable(kProgramName, {QCoreApplication::applicationDirPath()});
    if (!beside.isEmpty())
        return beside;
    return QStandardPaths::findExecutable(kProgramName);
}

QString LocalService::dataDir() const
{
    if (!m_dataDirOverride.isEmpty())
        return m_dataDirOverride;
    const QString configured = m_settings->value(Settings::LocalServiceDataDir).toString();
    if (!configured.isEmpty())
        return configured;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/local-service");
}

QUrl LocalService::url() const
{
    if (m_state != State::Running)
        return QUrl();
    return QUrl(QStringLiteral("ws://127.0.0.1:") + QString::number(m_port));
}

QUrl LocalService::adminUrl() const
{
    if (m_state != State::Running)
        return QUrl();
    return QUrl(QStringLiteral("http://127.0.0.1:") + QString::number(m_port));
}

ConnectionProfile LocalService::localProfile() const
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("Local");
    if (m_state == State::Running) {
        profile.serviceUrl = url();
        profile.adminUrl = adminUrl();
    } else {
        profile.serviceUrl = QUrl(QStringLiteral("ws://127.0.0.1:") +
                                  QString::number(m_settings->value(Settings::LocalServicePort).toInt()));
    }
    return profile;
}

QString LocalService::stateText(State state)
{
    switch (state) {
    case State::Stopped:
        return tr("Stopped");
    case State::Starting:
        return tr("Starting");
    case State::Running:
        return tr("Running");
    case State::Stopping:
        return tr("Stopping");
    case State::Failed:
        return tr("Failed");
    }
    return QString();
}

void LocalService::start()
{
    if (m_state == State::Starting || m_state == State::Running || m_state == State::Stopping)
        return;
    m_errorText.clear();
    m_stderrLines.clear();
    m_retriedOnFreePort = false;
    const QString binary = resolvedBinary();
    if (binary.isEmpty()) {
        const QString where = m_binaryPath.isEmpty()
                                  ? tr("looked in %1 and in PATH").arg(QCoreApplication::applicationDirPath())
                                  : tr("looked for %1").arg(m_binaryPath);
        fail(tr("The local service program %1 was not found (%2)").arg(kProgramName, where));
        return;
    }
    int port = m_settings->value(Settings::LocalServicePort).toInt();
    if (port < 0 || port > 65535)
        port = Settings::defaultValue(Settings::LocalServicePort).toInt();
    launch(quint16(port));
}

void LocalService::launch(quint16 port)
{
    discardProcess();
    m_requestedPort = port;
    m_port = 0;
    m_stdout.clear();
    m_stderrPartial.clear();

    m_process = new QProcess(this);
    m_process->setProgram(resolvedBinary());
    m_process->setArguments({QStringLiteral("--port"), QString::number(port), QStringLiteral("--data-dir"), dataDir(),
                             QStringLiteral("--sync"), m_settings->value(Settings::LocalServiceSync).toString(),
                             QStringLiteral("--log-level"), QStringLiteral("info")});
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
#ifdef Q_OS_LINUX
    // Runs in the child between fork and exec: if the app dies without its destructor (a crash, SIGKILL), the
    // kernel sends the service SIGTERM, so it commits and exits instead of living on as an orphan.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    connect(m_process, &QProcess::readyReadStandardOutput, this, &LocalService::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &LocalService::onStderr);
    connect(m_process, &QProcess::finished, this, &LocalService::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &LocalService::onProcessError);
    setState(State::Starting);
    m_startTimer.start();
    m_process->start();
}

void LocalService::stop()
{
    switch (m_state) {
    case State::Starting:
    case State::Running:
        m_startTimer.stop();
        setState(State::Stopping);
        m_process->terminate();
        m_killTimer.start();
        break;
    case State::Stopping:
        break;
    case State::Failed:
        m_errorText.clear();
        setState(State::Stopped);
        break;
    case State::Stopped:
        break;
    }
}

void LocalService::onStdout()
{
    if (!m_process)
        return;
    const QByteArray data = m_process->readAllStandardOutput();
    if (m_state != State::Starting)
        return; // only the first line means something
    m_stdout += data;
    const int newline = m_stdout.indexOf('\n');
    if (newline < 0) {
        if (m_stdout.size() > kMaxStdoutBytes)
            fail(tr("The local service printed no URL"));
        return;
    }
    const QString line = QString::fromUtf8(m_stdout.left(newline)).trimmed();
    const QUrl printed(line);
    if (!printed.isValid() || printed.port() <= 0 ||
        (printed.scheme() != QLatin1String("ws") && printed.scheme() != QLatin1String("wss"))) {
        fail(tr("The local service printed \"%1\" where its URL was expected").arg(line.left(200)));
        return;
    }
    m_startTimer.stop();
    m_port = quint16(printed.port());
    setState(State::Running);
    Q_EMIT logLine(tr("The local service runs at %1 (data in %2)").arg(url().toString(), dataDir()));
}

void LocalService::onStderr()
{
    if (!m_process)
        return;
    m_stderrPartial += m_process->readAllStandardError();
    for (;;) {
        int newline = m_stderrPartial.indexOf('\n');
        if (newline < 0) {
            if (m_stderrPartial.size() <= kMaxStderrLineBytes)
                break;
            newline = kMaxStderrLineBytes;
        }
        const QString line = QString::fromUtf8(m_stderrPartial.left(newline)).trimmed();
        m_stderrPartial.remove(0, newline + 1);
        if (line.isEmpty())
            continue;
        m_stderrLines.append(line);
        while (m_stderrLines.size() > kStderrLines)
            m_stderrLines.removeFirst();
        Q_EMIT logLine(line);
    }
}

QString LocalService::stderrTail() const
{
    // The last few lines are what explains an exit ("cannot open the store: ... locked").
    const QStringList tail = m_stderrLines.mid(qMax(0, int(m_stderrLines.size()) - 3));
    return tail.join(QLatin1String(" / "));
}

void LocalService::onFinished(int exitCode, QProcess::ExitStatus status)
{
    onStderr();
    if (!m_stderrPartial.trimmed().isEmpty()) {
        m_stderrLines.append(QString::fromUtf8(m_stderrPartial).trimmed());
        while (m_stderrLines.size() > kStderrLines)
            m_stderrLines.removeFirst();
        m_stderrPartial.clear();
    }
    m_startTimer.stop();
    m_killTimer.stop();

    if (m_state == State::Stopping) {
        Q_EMIT logLine(tr("The local service stopped"));
        setState(State::Stopped);
        return;
    }
    const bool portTaken = status == QProcess::NormalExit && exitCode != 0 &&
                           m_stderrLines.join(QLatin1Char('\n')).toUtf8().contains(kListenFailure);
    if (m_state == State::Starting && portTaken && m_requestedPort != 0 && !m_retriedOnFreePort) {
        m_retriedOnFreePort = true;
        Q_EMIT logLine(tr("Port %1 is in use; starting the local service on a free port instead").arg(m_requestedPort));
        launch(0);
        return;
    }
    if (m_state != State::Starting && m_state != State::Running)
        return;
    const QString tail = stderrTail();
    QString text;
    if (status == QProcess::CrashExit)
        text = tail.isEmpty() ? tr("The local service crashed") : tr("The local service crashed: %1").arg(tail);
    else
        text = tail.isEmpty() ? tr("The local service exited with code %1").arg(exitCode)
                              : tr("The local service exited with code %1: %2").arg(exitCode).arg(tail);
    fail(text);
}

void LocalService::onProcessError(QProcess::ProcessError error)
{
    // Crashes and exits are reported by finished(); only a program that never ran ends here.
    if (error != QProcess::FailedToStart || !m_process)
        return;
    fail(tr("The local service program %1 could not be started: %2")
             .arg(m_process->program(), m_process->errorString()));
}

void LocalService::onStartTimeout()
{
    if (m_state != State::Starting)
        return;
    fail(tr("The local service printed no URL within %1 s").arg(kStartTimeoutMs / 1000));
}

void LocalService::fail(const QString &text)
{
    m_startTimer.stop();
    m_killTimer.stop();
    m_errorText = text;
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // A service we gave up on must not keep the port or the store's lock.
        disconnect(m_process, nullptr, this, nullptr);
        m_process->kill();
    }
    Q_EMIT logLine(text);
    setState(State::Failed);
}

void LocalService::discardProcess()
{
    if (!m_process)
        return;
    disconnect(m_process, nullptr, this, nullptr);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        // deleteLater of a running QProcess would wait for it in its destructor; it was killed, so reap it
        // asynchronously.
        QProcess *process = m_process;
        connect(process, &QProcess::finished, process, &QObject::deleteLater);
    } else {
        m_process->deleteLater();
    }
    m_process = nullptr;
}

void LocalService::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace Pulsar

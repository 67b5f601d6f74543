#include "connectiontest.h"

#include "admin/adminclient.h"
#include "readersession.h"

#include "protocol/topicname.h"

namespace Pulsar {

AdminConnection adminConnectionFor(const ConnectionProfile &profile, int timeoutMs)
{
    AdminConnection c;
    c.adminUrl = profile.effectiveAdminUrl();
    switch (profile.authentication) {
    case AuthenticationMethod::TokenHeader:
        c.tokenMode = AdminConnection::TokenMode::BearerHeader;
        c.token = profile.token.toUtf8();
        break;
    case AuthenticationMethod::TokenQuery:
        c.tokenMode = AdminConnection::TokenMode::QueryParameter;
        c.token = profile.token.toUtf8();
        break;
    case AuthenticationMethod::TlsCertificate:
        c.clientCertFile = profile.clientCertificateFile;
        c.clientKeyFile = profile.clientKeyFile;
        break;
    case AuthenticationMethod::None:
        break;
    }
    c.caFile = profile.caFile;
    c.allowInsecureTls = profile.allowInsecureTls;
    c.timeoutMs = timeoutMs;
    c.maxRedirects = 3;
    return c;
}

ConnectionTest::ConnectionTest(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionTest::onTimeout);
}

ConnectionTest::~ConnectionTest()
{
    teardown();
}

QString ConnectionTest::stepName(Step step)
{
    return step == Step::Admin ? tr("Admin API") : tr("WebSocket");
}

void ConnectionTest::start(const ConnectionProfile &profile, int stepTimeoutMs)
{
    teardown();
    ++m_generation;
    m_profile = profile;
    m_timeoutMs = stepTimeoutMs;
    m_result = Result();
    m_running = true;
    m_step = Step::Admin;
    if (const auto invalid = profile.validate()) {
        // Nothing to try on the network; both steps carry the reason. Reported later, as every outcome is.
        const QString text = invalid->text();
        m_result.admin = {Status::Failed, text};
        m_result.webSocket = {Status::Failed, text};
        m_step = Step::WebSocket;
        m_timer.stop();
        QTimer::singleShot(0, this, [this, generation = m_generation] {
            if (!m_running || generation != m_generation)
                return;
            m_running = false;
            Q_EMIT stepFinished(Step::Admin, m_result.admin);
            Q_EMIT stepFinished(Step::WebSocket, m_result.webSocket);
            Q_EMIT finished(m_result);
        });
        return;
    }
    startAdmin();
}

void ConnectionTest::startAdmin()
{
    m_step = Step::Admin;
    m_result.admin.status = Status::Running;
    const AdminConnection connection = adminConnectionFor(m_profile, m_timeoutMs);
    m_admin = new AdminClient(connection, this);
    Q_EMIT progress(Step::Admin, tr("Checking the admin API at %1…").arg(displayUrl(connection.adminUrl)));
    m_call = m_admin->brokerHealth()->then(
        this,
        [this, url = connection.adminUrl](const QString &) {
            finishStep(Step::Admin, Status::Ok, tr("The admin API at %1 is healthy").arg(displayUrl(url)));
        },
        [this](const AdminError &error) { finishStep(Step::Admin, Status::Failed, error.message()); });
    m_timer.start(m_timeoutMs);
}

void ConnectionTest::startWebSocket()
{
    m_step = Step::WebSocket;
    m_result.webSocket.status = Status::Running;
    ReaderSettings settings;
    settings.options.messageId = QStringLiteral("latest");
    settings.options.receiverQueueSize = 1;
    settings.channel.reconnect = false;
    settings.channel.retryInitialConnect = false;
    settings.channel.connectTimeoutMs = m_timeoutMs;
    const auto topic = TopicName::parse(QLatin1String(kTopic));
    Q_ASSERT(topic.ok());
    m_reader = new ReaderSession(m_profile, *topic, settings, this);
    connect(m_reader, &ReaderSession::statusChanged, this, [this](const ChannelStatus &status) {
        if (status.state == ChannelState::Connected)
            finishStep(Step::WebSocket, Status::Ok,
                       tr("The WebSocket handshake at %1 succeeded").arg(displayUrl(m_profile.serviceUrl)));
        else if (status.state == ChannelState::Failed)
            finishStep(Step::WebSocket, Status::Failed, status.error.text());
    });
    Q_EMIT progress(
        Step::WebSocket,
        tr("Opening a WebSocket reader on %1 at %2…").arg(QLatin1String(kTopic), displayUrl(m_profile.serviceUrl)));
    m_timer.start(m_timeoutMs);
    m_reader->open();
}

void ConnectionTest::finishStep(Step step, Status status, const QString &text)
{
    if (!m_running || step != m_step)
        return;
    StepResult &slot = step == Step::Admin ? m_result.admin : m_result.webSocket;
    if (slot.status != Status::Running)
        return;
    slot = {status, text};
    m_timer.stop();
    if (step == Step::Admin) {
        if (m_call)
            disconnect(m_call, nullptr, this, nullptr);
        m_call = nullptr;
        if (m_admin)
            m_admin->deleteLater();
        m_admin = nullptr;
        Q_EMIT stepFinished(step, slot);
        if (m_running)
            startWebSocket();
        return;
    }
    teardown();
    m_running = false;
    Q_EMIT stepFinished(step, slot);
    Q_EMIT finished(m_result);
}

void ConnectionTest::onTimeout()
{
    if (!m_running)
        return;
    if (m_call) {
        // cancel() reports Cancelled at once; this step's outcome is the timeout instead.
        disconnect(m_call, nullptr, this, nullptr);
        m_call->cancel();
    }
    finishStep(m_step, Status::TimedOut, tr("No answer within %1 s").arg(m_timeoutMs / 1000));
}

void ConnectionTest::cancel()
{
    if (!m_running)
        return;
    teardown();
    const StepResult cancelled{Status::Cancelled, tr("Cancelled")};
    if (m_result.admin.status == Status::Running || m_result.admin.status == Status::NotRun)
        m_result.admin = cancelled;
    if (m_result.webSocket.status == Status::Running || m_result.webSocket.status == Status::NotRun)
        m_result.webSocket = cancelled;
    m_running = false;
    Q_EMIT finished(m_result);
}

void ConnectionTest::teardown()
{
    m_timer.stop();
    if (m_call) {
        disconnect(m_call, nullptr, this, nullptr);
        m_call->cancel();
    }
    m_call = nullptr;
    if (m_admin) {
        m_admin->deleteLater();
        m_admin = nullptr;
    }
    if (m_reader) {
        // Deleted later: this may run inside one of the reader's own signals.
        disconnect(m_reader, nullptr, this, nullptr);
        m_reader->close();
        m_reader->deleteLater();
        m_reader = nullptr;
    }
}

} // namespace Pulsar

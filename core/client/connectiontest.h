#pragma once

#include "admin/adminconnection.h"
#include "connectionprofile.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

namespace Pulsar {

// The admin API connection of a profile: its effective admin URL with the same token and TLS settings. Lives here
// because pdesk_admin does not link pdesk_client (see adminconnection.h).
AdminConnection adminConnectionFor(const ConnectionProfile &profile, int timeoutMs = 30000);

class AdminCall;
class AdminClient;
class ReaderSession;

// "Test connection" for a profile: two checks, one after the other, each with its own result and Pulsar's or Qt's
// precise text:
//  1. Admin: GET /admin/v2/brokers/health on the profile's effective admin URL, with its token and TLS settings.
//  2. WebSocket: a reader handshake (messageId=latest, so nothing is read) on kTopic with the profile's
//     authentication, closed the moment it is connected. Pulsar auto-creates that topic where topic auto-creation
//     is on (the default, and the bundled service's); where it is off the step reports Pulsar's 404 text, which is
//     the truth about what a reader could do there. Refusals carry the HTTP status and Pulsar's message (401, 403).
// The WebSocket step runs even when the admin step failed: a proxy-only deployment has no admin API, and the user
// wants both answers. Each step is bounded by the timeout; cancel() stops at once. Asynchronous, GUI-thread safe.
class ConnectionTest final : public QObject
{
    Q_OBJECT
public:
    static constexpr const char *kTopic = "persistent://public/default/pulsar-desk-connection-test";

    enum class Step
    {
        Admin,
        WebSocket,
    };
    Q_ENUM(Step)

    enum class Status
    {
        NotRun,
        Running,
        Ok,
        Failed,
        TimedOut,
        Cancelled,
    };
    Q_ENUM(Status)

    struct StepResult
    {
        Status status = Status::NotRun;
        QString text; // translated; the error's text for failures
    };

    struct Result
    {
        StepResult admin;
        StepResult webSocket;
        bool ok() const { return admin.status == Status::Ok && webSocket.status == Status::Ok; }
        bool cancelled() const { return admin.status == Status::Cancelled || webSocket.status == Status::Cancelled; }
    };

    explicit ConnectionTest(QObject *parent = nullptr);
    ~ConnectionTest() override;

    // Starts a test of profile (with its token); a test still running is cancelled first (without finished()).
    void start(const ConnectionProfile &profile, int stepTimeoutMs = 15000);
    // Ends a running test: the running step and those after it are Cancelled, and finished() follows at once.
    void cancel();
    bool isRunning() const { return m_running; }
    const Result &result() const { return m_result; }

    static QString stepName(Step step);

Q_SIGNALS:
    // A step began: "Checking the admin API at http://…", "Opening a WebSocket reader on …".
    void progress(Pulsar::ConnectionTest::Step step, const QString &text);
    void stepFinished(Pulsar::ConnectionTest::Step step, const Pulsar::ConnectionTest::StepResult &result);
    void finished(const Pulsar::ConnectionTest::Result &result);

private:
    void startAdmin();
    void startWebSocket();
    void finishStep(Step step, Status status, const QString &text);
    void onTimeout();
    void teardown();

    ConnectionProfile m_profile;
    int m_timeoutMs = 15000;
    bool m_running = false;
    quint64 m_generation = 0; // tells a stale deferred report from the current test's
    Step m_step = Step::Admin;
    Result m_result;
    AdminClient *m_admin = nullptr;
    QPointer<AdminCall> m_call;
    ReaderSession *m_reader = nullptr;
    QTimer m_timer;
};

} // namespace Pulsar

Q_DECLARE_METATYPE(Pulsar::ConnectionTest::Result)
Q_DECLARE_METATYPE(Pulsar::ConnectionTest::StepResult)

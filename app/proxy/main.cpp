// pulsar-desk-proxy: the bundled local Pulsar-compatible WebSocket service.
#include "proxy/broker/broker.h"
#include "proxy/embeddedbackend.h"
#include "proxy/proxyserver.h"
#include "proxy/store/messagestore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int g_signalFds[2] = {-1, -1};

void onUnixSignal(int)
{
    const char byte = 1;
    // Only async-signal-safe work here: wake the event loop through the socket pair.
    [[maybe_unused]] const auto written = ::write(g_signalFds[0], &byte, 1);
}

bool installSignalHandlers(QObject *context, std::function<void()> onSignal)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) != 0)
        return false;
    auto *notifier = new QSocketNotifier(g_signalFds[1], QSocketNotifier::Read, context);
    QObject::connect(notifier, &QSocketNotifier::activated, context, [notifier, onSignal = std::move(onSignal)] {
        notifier->setEnabled(false);
        char byte;
        [[maybe_unused]] const auto n = ::read(g_signalFds[1], &byte, 1);
        onSignal();
    });
    struct sigaction action = {};
    action.sa_handler = onUnixSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 && ::sigaction(SIGTERM, &action, nullptr) == 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("pulsar-desk-proxy"));
    QCoreApplication::setOrganizationName(QStringLiteral("pulsar-desk"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PDESK_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "A local Apache Pulsar-compatible WebSocket service with a durable store."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption hostOption(
        QStringLiteral("host"), QCoreApplication::translate("main", "Address to listen on (default 127.0.0.1)."),
        QStringLiteral("address"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption portOption(
        QStringLiteral("port"),
        QCoreApplication::translate("main", "Port to listen on; 0 picks a free one (default 8080)."),
        QStringLiteral("port"), QStringLiteral("8080"));
    const QString defaultDataDir =
        QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) + QStringLiteral("/pulsar-desk/proxy");
    const QCommandLineOption dataDirOption(QStringLiteral("data-dir"),
                                           QCoreApplication::translate("main", "Where messages and cursors are kept."),
                                           QStringLiteral("dir"), defaultDataDir);
    const QCommandLineOption clusterOption(QStringLiteral("cluster-name"),
                                           QCoreApplication::translate("main", "Cluster name (default standalone)."),
                                           QStringLiteral("name"), QStringLiteral("standalone"));
    const QCommandLineOption syncOption(
        QStringLiteral("sync"),
        QCoreApplication::translate("main", "always: ack after fsync (default); interval: fsync every second; none: "
                                            "leave it to the OS."),
        QStringLiteral("mode"), QStringLiteral("always"));
    const QCommandLineOption frameOption(
        QStringLiteral("max-frame-size"),
        QCoreApplication::translate("main", "Largest text message in bytes (default 1048576)."),
        QStringLiteral("bytes"), QStringLiteral("1048576"));
    const QCommandLineOption idleOption(
        QStringLiteral("idle-timeout"),
        QCoreApplication::translate("main", "Close idle sessions after this many ms (default 300000)."),
        QStringLiteral("ms"), QStringLiteral("300000"));
    const QCommandLineOption pingOption(
        QStringLiteral("ping-interval"),
        QCoreApplication::translate("main", "Ping every session every N seconds; -1 is off (default)."),
        QStringLiteral("seconds"), QStringLiteral("-1"));
    const QCommandLineOption noAutoCreateOption(
        QStringLiteral("no-auto-create-namespaces"),
        QCoreApplication::translate("main", "Refuse topics in tenants or namespaces that do not exist."));
    const QCommandLineOption noAutoTopicOption(
        QStringLiteral("no-auto-create-topics"),
        QCoreApplication::translate("main", "Refuse producers and consumers on topics that do not exist."));
    const QCommandLineOption logLevelOption(
        QStringLiteral("log-level"),
        QCoreApplication::translate("main", "error, warning, info or debug (default info)."), QStringLiteral("level"),
        QStringLiteral("info"));
    const QCommandLineOption authOption(
        QStringLiteral("auth-config"),
        QCoreApplication::translate("main", "JSON file that turns on token authentication and authorization."),
        QStringLiteral("file"));
    const QCommandLineOption tlsCertOption(
        QStringLiteral("tls-cert"), QCoreApplication::translate("main", "PEM certificate: serve wss:// and https://."),
        QStringLiteral("file"));
    const QCommandLineOption tlsKeyOption(QStringLiteral("tls-key"),
                                          QCoreApplication::translate("main", "PEM private key of --tls-cert."),
                                          QStringLiteral("file"));
    const QCommandLineOption tlsCaOption(
        QStringLiteral("tls-ca"),
        QCoreApplication::translate("main", "PEM CA certificates; clients must then present a certificate."),
        QStringLiteral("file"));
    parser.addOptions({hostOption, portOption, dataDirOption, clusterOption, syncOption, frameOption, idleOption,
                       pingOption, noAutoCreateOption, noAutoTopicOption, logLevelOption, authOption, tlsCertOption,
                       tlsKeyOption, tlsCaOption});
    parser.process(app);

    const auto fail = [](const QString &message) {
        std::fprintf(stderr, "pulsar-desk-proxy: %s\n", qPrintable(message));
        return 2;
    };

    Proxy::ServiceConfig service;
    service.version = QStringLiteral(PDESK_VERSION);
    if (!service.host.setAddress(parser.value(hostOption)))
        return fail(QCoreApplication::translate("main", "--host: not an IP address: %1").arg(parser.value(hostOption)));
    bool ok = false;
    const int port = parser.value(portOption).toInt(&ok);
    if (!ok || port < 0 || port > 65535)
        return fail(
            QCoreApplication::translate("main", "--port: expected 0-65535, got %1").arg(parser.value(portOption)));
    service.port = quint16(port);
    service.maxTextFrameBytes = parser.value(frameOption).toLongLong(&ok);
    if (!ok || service.maxTextFrameBytes < 1024)
        return fail(QCoreApplication::translate("main", "--max-frame-size: expected at least 1024 bytes"));
    service.idleTimeoutMs = parser.value(idleOption).toLongLong(&ok);
    if (!ok)
        return fail(QCoreApplication::translate("main", "--idle-timeout: expected milliseconds"));
    service.serverPingSeconds = parser.value(pingOption).toInt(&ok);
    if (!ok)
        return fail(QCoreApplication::translate("main", "--ping-interval: expected seconds"));

    if (parser.isSet(authOption)) {
        const auto auth = Proxy::AuthConfig::load(parser.value(authOption));
        if (!auth)
            return fail(QCoreApplication::translate("main", "--auth-config: %1").arg(auth.error().message));
        service.auth = *auth;
    }
    if (parser.isSet(tlsCertOption) != parser.isSet(tlsKeyOption))
        return fail(QCoreApplication::translate("main", "--tls-cert and --tls-key go together"));
    service.tlsCertFile = parser.value(tlsCertOption);
    service.tlsKeyFile = parser.value(tlsKeyOption);
    service.tlsCaFile = parser.value(tlsCaOption);

    const QString level = parser.value(logLevelOption);
    if (level == QLatin1String("error"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n*.info=false\n*.warning=false"));
    else if (level == QLatin1String("warning"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false\n*.info=false"));
    else if (level == QLatin1String("info"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=false"));
    else if (level != QLatin1String("debug"))
        return fail(QCoreApplication::translate("main", "--log-level: expected error, warning, info or debug"));

    Proxy::StoreOptions storeOptions;
    storeOptions.dataDir = parser.value(dataDirOption);
    const QString sync = parser.value(syncOption);
    if (sync == QLatin1String("always"))
        storeOptions.sync = Proxy::StoreOptions::Always;
    else if (sync == QLatin1String("interval"))
        storeOptions.sync = Proxy::StoreOptions::Interval;
    else if (sync == QLatin1String("none"))
        storeOptions.sync = Proxy::StoreOptions::None;
    else
        return fail(QCoreApplication::translate("main", "--sync: expected always, interval or none, got %1").arg(sync));

    if (!QDir().mkpath(storeOptions.dataDir))
        return fail(QCoreApplication::translate("main", "cannot create data directory %1").arg(storeOptions.dataDir));
    Proxy::MessageStore store(storeOptions);
    QString error;
    if (!store.open(&error))
        return fail(QCoreApplication::translate("main", "cannot open the store: %1").arg(error));

    Proxy::BrokerConfig brokerConfig;
    brokerConfig.clusterName = parser.value(clusterOption);
    brokerConfig.autoCreateNamespaces = !parser.isSet(noAutoCreateOption);
    brokerConfig.autoCreateTopics = !parser.isSet(noAutoTopicOption);
    Proxy::Broker broker(brokerConfig, &store);
    broker.start();

    Proxy::EmbeddedBackend backend(&broker, service);
    Proxy::ProxyServer server(service, &backend);
    if (!server.listen(&error))
        return fail(QCoreApplication::translate("main", "cannot listen on %1:%2: %3")
                        .arg(service.host.toString())
                        .arg(service.port)
                        .arg(error));

    // The first line is the URL, so that scripts and the desktop app can start us with --port 0.
    std::printf("%s\n", qPrintable(server.serviceUrl()));
    std::fflush(stdout);

    // SIGINT/SIGTERM: stop accepting and reading, let the store commit what it has so that every stored message
    // is acknowledged, close the sessions with 1001, then flush and leave. Each wait is bounded.
    QElapsedTimer shutdownClock;
    QTimer shutdownPoll;
    shutdownPoll.setInterval(10);
    enum class Stage
    {
        Committing,
        Closing
    } stage = Stage::Committing;
    QObject::connect(&shutdownPoll, &QTimer::timeout, &app, [&] {
        if (stage == Stage::Committing) {
            if (broker.hasPendingPublishes() && shutdownClock.elapsed() < 5000)
                return;
            stage = Stage::Closing;
            shutdownClock.restart();
            server.closeSessions();
            return;
        }
        if (server.sessionCount() > 0 && shutdownClock.elapsed() < 2000)
            return;
        shutdownPoll.stop();
        broker.shutdown();
        app.quit();
    });
    installSignalHandlers(&app, [&] {
        server.stopAccepting();
        shutdownClock.start();
        shutdownPoll.start();
    });
    return app.exec();
}

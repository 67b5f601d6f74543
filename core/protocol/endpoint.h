#pragma once

#include "error.h"
#include "topicname.h"
#include "wirestatus.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

// The WebSocket endpoints of Pulsar (spec 1.2, 1.3): which producer, consumer, reader or multi-topic consumer a
// URL names. The client builds URLs with endpointUrl(); the proxy reads them back with parseEndpoint(), which
// follows Pulsar's released servlets (era R: v1, v2 and v3 paths) check for check, error text for error text.
namespace Pulsar {

enum class EndpointKind
{
    Producer,
    Consumer,
    Reader,
    MultiTopicConsumer,
};

// V1: /ws/<kind>/<domain>/<property>/<cluster>/<ns>/..., V2: /ws/v2/<kind>/<domain>/<tenant>/<ns>/...,
// V3: /ws/v3/consumer/<subscription>?topics=... or ?topicsPattern=...
enum class ApiVersion
{
    V1,
    V2,
    V3,
};

// One WebSocket endpoint: what a session connects to. For V3, topic is Pulsar's "nominal" topic (the first of
// topics, or the pattern read as a topic name), topics holds full names and topicsPattern the regex.
struct Endpoint
{
    EndpointKind kind = EndpointKind::Producer;
    ApiVersion version = ApiVersion::V2;
    TopicName topic;
    QString subscription;
    QStringList topics;
    QString topicsPattern;

    // The version follows the topic name: V1 for a name with a cluster, V2 otherwise.
    static Endpoint producer(const TopicName &topic);
    static Endpoint consumer(const TopicName &topic, const QString &subscription);
    static Endpoint reader(const TopicName &topic);
    static Endpoint multiTopic(const QString &subscription, const QList<TopicName> &topics);
    // The pattern is sent as given; its nominal topic is the pattern parsed as a topic name, as Pulsar does
    // (left empty when that fails, and then Pulsar refuses the URL too).
    static Endpoint multiTopicPattern(const QString &subscription, const QString &pattern);

    friend bool operator==(const Endpoint &a, const Endpoint &b)
    {
        return a.kind == b.kind && a.version == b.version && a.topic == b.topic && a.subscription == b.subscription &&
               a.topics == b.topics && a.topicsPattern == b.topicsPattern;
    }
    friend bool operator!=(const Endpoint &a, const Endpoint &b) { return !(a == b); }
};

// The percent-encoded path, starting with "/ws/". Topic local names and subscriptions are encoded with
// TopicName::encodeComponent (so a space is '+', a '+' is %2B and a '/' is %2F); tenant, cluster and namespace
// are written as they are, since a valid one holds only URL-safe characters. '~' is written literally rather
// than as %7E because QUrl would normalise it anyway; both decode to '~'.
QString endpointPath(const Endpoint &endpoint);

// The full URL: serviceUrl (ws://, wss://, or http:// and https:// which become ws:// and wss://, with an optional
// path prefix such as wss://host/pulsar/ that is kept before /ws/...) + endpointPath + query. For V3 the
// "topics" (comma-joined full names) or "topicsPattern" item comes first, then queryItems in order. Query names
// and values are percent-encoded like encodeComponent but with %20 for a space, so '+', '&', '=', '#' and '%'
// survive any form of query decoding. Errors: InvalidServiceUrl (empty, relative, no host, another scheme,
// a query or a fragment on the service URL).
Result<QUrl> endpointUrl(const QUrl &serviceUrl, const Endpoint &endpoint,
                         const QList<QPair<QString, QString>> &queryItems = {});

// True when rawPath falls under one of Pulsar's WebSocket servlets: /ws/producer, /ws/consumer, /ws/reader,
// /ws/v2/producer, /ws/v2/consumer, /ws/v2/reader or /ws/v3/consumer, exactly or followed by '/'. Anything else
// is not a WebSocket endpoint and a server answers 404 (HandshakeFailure::NotFound) without calling
// parseEndpoint(). Matching is on the raw bytes (Jetty matches the decoded path; nobody encodes "ws").
bool isWebSocketPath(const QByteArray &rawPath);

// Reads a WebSocket path as Pulsar's handlers do (spec 1.3, era R), server side. rawPath is the request path,
// still percent-encoded, after stripPathPrefix(); anything from a '?' on is ignored. decodedQuery is the query
// with names and values decoded; only "topics" and "topicsPattern" matter here (v3), first value wins.
// Errors, with their handshake mapping (handshakeFailureFor):
//  - InvalidPath -> 500: Pulsar throws while building the handler (path too short, bad domain, invalid
//    tenant/namespace/topic, a malformed %-escape in the topic, v3 without or with both topics/topicsPattern,
//    v3 first topic or pattern not a topic name). The message is what Jetty names on its error page, the
//    exception's toString(): "java.lang.IllegalArgumentException: Invalid topic name format", or just
//    "java.lang.IllegalArgumentException" where Pulsar's check carries no message.
//    Also returned, with "Not a WebSocket endpoint", for a path that isWebSocketPath() refuses.
//  - EmptySubscription -> 400, message "Empty subscription name".
//  - InvalidQueryParams -> 400: the consumer's other subscription checks ("Invalid topic name format" when a v1/v2
//    consumer path is not exactly 9 segments, or a v3 path has no subscription segment; URLDecoder errors in the
//    subscription; "topicNames cannot have blank topic" for a blank v3 topics entry).
//  - InvalidTopicName -> 500 "Failed to create producer/consumer: Invalid topic name: '<t>'": a v3 topics entry
//    after the first that is not a topic name (Pulsar's client refuses it at subscribe time).
Result<Endpoint> parseEndpoint(const QByteArray &rawPath, const QList<QPair<QString, QString>> &decodedQuery);

// How a server answers a parseEndpoint() error: pass the result and error.message to handshakeMessage().
HandshakeFailure handshakeFailureFor(const Error &error);

// Removes a reverse-proxy path prefix ("/pulsar" or "/pulsar/"; empty or "/" means none) from rawPath.
// Returns the rest, always starting with '/', or a null QByteArray when rawPath is not under the prefix
// ("/pulsarx/ws/..." is not under "/pulsar").
QByteArray stripPathPrefix(const QByteArray &rawPath, const QByteArray &prefix);

// The first value of the query parameter `name` (case-sensitive), as Pulsar's handlers read parameters.
// *present (when given) tells an absent parameter from an empty one.
QString firstQueryValue(const QList<QPair<QString, QString>> &query, QStringView name, bool *present = nullptr);

} // namespace Pulsar

#pragma once

#include "admin/adminclient.h"
#include "protocol/topicname.h"

#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace Gui {

class EventLog;

// The admin stats of one topic: rates, throughput, counters, storage and backlog size, the publishers and the
// subscriptions with their consumers (GET …/stats, or …/partitioned-stats for a partitioned topic, which it finds
// out with one GET …/partitions per topic). Refreshed every N seconds and on demand, with at most one request in
// flight: a tick that finds one running is skipped, and a reply for a topic that is no longer shown is dropped.
// Failures (a deleted topic's 404...) show in the status label and go to the event log, once per distinct error.
class StatsPane final : public QWidget
{
    Q_OBJECT
public:
    // Rows shown per list; the rest is counted in the status line.
    static constexpr int kMaxRows = 1000;

    explicit StatsPane(EventLog *log, QWidget *parent = nullptr);
    ~StatsPane() override;

    void setAdminClient(Pulsar::AdminClient *admin); // not owned; nullptr clears
    void setTopic(const Pulsar::TopicName &topic);   // loads at once
    Pulsar::TopicName topic() const { return m_topic; }
    void setRefreshInterval(int seconds); // 0: only on demand
    int refreshInterval() const { return m_intervalSeconds; }
    void refresh();
    bool isLoading() const { return !m_call.isNull(); }

Q_SIGNALS:
    // After each answer was shown (or its error).
    void updated();

private:
    void clear();
    void updateTimer();
    void requestStats();
    void showStats(const Pulsar::TopicStats &stats, int partitions);
    void fail(const Pulsar::AdminError &error);
    void track(Pulsar::AdminCall *call);
    void cancel();

    EventLog *m_log;
    QPointer<Pulsar::AdminClient> m_admin;
    Pulsar::TopicName m_topic;
    std::optional<int> m_partitions; // from GET …/partitions, once per topic
    QPointer<Pulsar::AdminCall> m_call;
    quint64 m_serial = 0;
    QString m_lastError;
    QSet<QString> m_collapsed; // subscriptions the user collapsed; the rest show their consumers
    int m_intervalSeconds = 0;
    QTimer m_timer;

    QLabel *m_title;
    QPushButton *m_refreshButton;
    QLabel *m_status;
    QLabel *m_msgRateIn;
    QLabel *m_msgRateOut;
    QLabel *m_throughputIn;
    QLabel *m_throughputOut;
    QLabel *m_msgInCounter;
    QLabel *m_msgOutCounter;
    QLabel *m_bytesInCounter;
    QLabel *m_bytesOutCounter;
    QLabel *m_averageMsgSize;
    QLabel *m_storageSize;
    QLabel *m_backlogSize;
    QLabel *m_msgBacklog;
    QLabel *m_partitionsLabel;
    QTreeWidget *m_publishers;
    QTreeWidget *m_subscriptions;
};

} // namespace Gui

#pragma once

#include "admin/adminclient.h"
#include "protocol/topicname.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QModelIndex;
class QPushButton;
class QTreeView;

namespace Gui {

class EventLog;
class TopicFilterModel;
class TopicTreeModel;

// The cluster's tenants, namespaces and topics as a lazily loaded tree (TopicTreeModel), with a filter on the
// loaded topic names, a Refresh button, and a context menu: Produce, Consume, Read, Copy name, Create topic (on a
// namespace, through a non-modal CreateTopicDialog), Delete topic (after a confirmation opened with open()) and
// Refresh. Enter or a double-click on a topic asks for a consumer. Every admin call is asynchronous; failures show
// in the status label under the tree and go to the event log with Pulsar's reason.
class TopicBrowser final : public QWidget
{
    Q_OBJECT
public:
    explicit TopicBrowser(EventLog *log, QWidget *parent = nullptr);
    ~TopicBrowser() override;

    // The cluster to browse (not owned; nullptr clears the tree). Setting one loads the tenants.
    void setAdminClient(Pulsar::AdminClient *admin);
    // Reloads the tenants and every expanded node, keeping the expansion; collapsed nodes load again when opened.
    void refresh();
    // The current topic, partitioned topic or partition.
    std::optional<Pulsar::TopicName> selectedTopic() const;
    TopicTreeModel *model() const { return m_model; }
    TopicFilterModel *filterModel() const { return m_filter; }

    // Opens the create-topic dialog for the namespace of the current node (what createTopicAction does).
    void createTopic();
    // Asks to delete the current topic or partitioned topic (what deleteTopicAction does).
    void deleteTopic();

Q_SIGNALS:
    void topicSelected(const Pulsar::TopicName &topic); // a topic or partition became current
    void produceRequested(const Pulsar::TopicName &topic);
    void consumeRequested(const Pulsar::TopicName &topic);
    void readRequested(const Pulsar::TopicName &topic);

private:
    QModelIndex currentSourceIndex() const;
    std::optional<Pulsar::TopicName> topicAt(const QModelIndex &sourceIndex) const;
    void updateActions();
    void showContextMenu(const QPoint &pos);
    void onCurrentChanged(const QModelIndex &current);
    void onActivated(const QModelIndex &index);
    void copyName();
    void emitFor(void (TopicBrowser::*signal)(const Pulsar::TopicName &));
    void createTopicIn(const Pulsar::NamespaceName &ns, const Pulsar::TopicName &topic, int partitions);
    void deleteTopicNow(const Pulsar::TopicName &topic, bool partitioned);
    void reloadNamespace(const Pulsar::NamespaceName &ns);
    void showStatus(const QString &text, bool error);
    void onFetchFailed(const QString &what, const Pulsar::AdminError &error);

    EventLog *m_log;
    QPointer<Pulsar::AdminClient> m_admin;
    TopicTreeModel *m_model;
    TopicFilterModel *m_filter;
    QLineEdit *m_filterEdit;
    QPushButton *m_refreshButton;
    QTreeView *m_tree;
    QLabel *m_status;
    QMenu *m_menu;
    QAction *m_produce;
    QAction *m_consume;
    QAction *m_read;
    QAction *m_copyName;
    QAction *m_createTopic;
    QAction *m_deleteTopic;
    QAction *m_refresh;
};

} // namespace Gui

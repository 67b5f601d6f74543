#pragma once

#include "admin/adminclient.h"
#include "admin/adminerror.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QList>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace Gui {

// The cluster as a tree for the topic browser: tenants, their namespaces, and the topics of each namespace
// (partitioned topics with their partitions as children; persistent and non-persistent marked in the Type
// column, the tooltip and the font). Loaded lazily through the admin API: tenants when a client is set, the
// namespaces of a tenant and the topics of a namespace only when the view asks (canFetchMore/fetchMore, that is
// when the user expands them). Every call is asynchronous; while one runs the node shows a "Loading…" child, and a
// failure replaces it with an error row (and fetchFailed() carries Pulsar's reason to the log).
//
// refresh() merges fresh lists into the existing nodes instead of resetting, so the view keeps its expansion and
// selection, and inserts or removes rows in contiguous blocks. Replies that arrive for a node that was removed or
// reloaded since are ignored. Each node lists at most kMaxChildren children (listTruncated() says so).
class TopicTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum class NodeKind
    {
        Tenant,
        Namespace,
        Topic,            // a non-partitioned topic
        PartitionedTopic, // the base name; its partitions are its children
        Partition,
        Loading, // the placeholder row of a node being fetched
        Error,   // the row that says why a fetch failed
    };
    Q_ENUM(NodeKind)
    enum Role
    {
        TopicNameRole = Qt::UserRole + 1, // QString: the full topic name (topics, partitioned topics, partitions)
        NodeKindRole,                     // int: a NodeKind
        NamespaceNameRole,                // QString: "tenant/namespace" (namespaces and everything under them)
        TenantRole,                       // QString: the tenant (every real node)
        PersistentRole,                   // bool (topic kinds)
    };
    enum Column
    {
        NameColumn,
        TypeColumn,
        ColumnCount
    };
    static constexpr int kMaxChildren = 10000;

    explicit TopicTreeModel(QObject *parent = nullptr);
    ~TopicTreeModel() override;

    // Clears the tree and, with a client, loads the tenants. Not owned; a destroyed client just stops loading.
    void setAdminClient(Pulsar::AdminClient *admin);
    Pulsar::AdminClient *adminClient() const { return m_admin; }

    // Reloads the tenants and every tenant and namespace already loaded. With `keepLoaded`, a loaded node for
    // which it answers false is unloaded instead (fetched again when next expanded): the browser passes "is
    // expanded", so a refresh costs one call per open node, not one per node ever opened.
    void refresh(const std::function<bool(const QModelIndex &)> &keepLoaded = {});
    // Reloads one tenant or namespace (after a topic was created or deleted in it); others are ignored.
    void reload(const QModelIndex &index);
    // True while any fetch is running.
    bool isLoading() const;
    // The loaded node with this name: a tenant ("public"), a namespace ("public/default") or a topic, partitioned
    // topic or partition (full name); invalid when not loaded.
    QModelIndex indexForName(const QString &name) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = QModelIndex()) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    bool hasChildren(const QModelIndex &parent = QModelIndex()) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

Q_SIGNALS:
    // `what` names the list that failed to load ("the tenants", "the namespaces of tenant x"...), translated.
    void fetchFailed(const QString &what, const Pulsar::AdminError &error);
    void listTruncated(const QString &what, int shown, int total);
    void loadingChanged(bool loading);

private:
    struct Node;
    enum class LoadState
    {
        NotLoaded,
        Loading,
        Loaded,
        Failed,
    };
    using NodeList = std::vector<std::unique_ptr<Node>>;

    Node *nodeFor(const QModelIndex &index) const;
    QModelIndex indexFor(const Node *node, int column = 0) const;
    bool isLoadable(const Node *node) const;
    QString describe(const Node *node) const;

    void load(Node *node);
    void loadTenants(Node *node, quint64 id, quint64 serial);
    void loadNamespaces(Node *node, quint64 id, quint64 serial);
    void loadTopics(Node *node, quint64 id, quint64 serial);
    // The node behind a reply, or nullptr when the reply is stale (node gone, or reloaded since).
    Node *current(quint64 id, quint64 serial) const;
    void finishLoad(Node *node, NodeList fresh);
    void failLoad(Node *node, const Pulsar::AdminError &error);
    void unload(Node *node);
    void cancelCalls(Node *node);

    void mergeChildren(Node *parent, NodeList fresh);
    void updateNode(Node *existing, std::unique_ptr<Node> fresh);
    void insertChildren(Node *parent, int row, NodeList nodes);
    void removeChildren(Node *parent, int first, int last);
    void setPlaceholder(Node *parent, std::unique_ptr<Node> placeholder);
    void adopt(Node *parent, Node *node);
    void forget(Node *node);
    void emitLoadingChanged(bool before);

    QPointer<Pulsar::AdminClient> m_admin;
    std::unique_ptr<Node> m_root;
    QHash<quint64, Node *> m_loadable; // tenants, namespaces and the root, by id, to find a reply's node
    quint64 m_nextId = 1;
};

} // namespace Gui

#pragma once

#include <QSortFilterProxyModel>

namespace Gui {

// The topic browser's filter: shows the topics, partitioned topics and partitions whose full name contains the
// text (case-insensitive), the tenants and namespaces above them, and the partitions of a matching partitioned
// topic. It looks only at what TopicTreeModel has loaded (rowCount never fetches), so typing never loads the
// whole cluster. It never sorts: the tree keeps the model's order.
class TopicFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit TopicFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_text; }
    void setFilterText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace Gui

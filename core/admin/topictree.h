#pragma once

#include "protocol/topicname.h"

#include <QList>
#include <QStringList>

namespace Pulsar {

// One row of a namespace's topic tree: a topic, or a partitioned topic with its partitions under it.
struct TopicTreeEntry
{
    TopicName topic;             // for a partitioned topic, the base name (without "-partition-N")
    bool partitioned = false;    // listed as partitioned, or seen only through "-partition-N" names
    QList<TopicName> partitions; // the partitions that were listed, by index

    bool isPersistent() const { return topic.isPersistent(); }
};

// Groups topic lists as the admin API returns them (full names, partitions expanded, persistent and non-persistent
// mixed) into a tree: every "…-partition-N" name goes under its base, and each name in partitionedTopics (the
// …/partitioned lists) becomes a partitioned entry even when none of its partitions is loaded (non-persistent
// partitions only show while in use). Persistent entries come first, then by name; names that are not valid topic
// names are left out. Duplicates (the same topic in two lists) appear once.
QList<TopicTreeEntry> groupTopics(const QStringList &topics, const QStringList &partitionedTopics = QStringList());

} // namespace Pulsar

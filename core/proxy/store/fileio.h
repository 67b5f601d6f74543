#pragma once

#include <QByteArray>
#include <QString>

// Thin POSIX file helpers for the store. QFile cannot pwrite at an offset, fdatasync, preallocate or report
// errno precisely enough to tell "disk full" from "I/O error", so the hot path uses these instead.
namespace Proxy::FileIo {

// "No space left on device while writing /path": errno text first because that is what an operator
// searches for, the path second because it says which disk.
QString describe(int err, const char *action, const QString &path);

int openFile(const QString &path, int flags, int *err);
void closeFile(int fd);

// Write or read exactly size bytes at offset, retrying on EINTR and short transfers.
bool writeAt(int fd, const char *data, qint64 size, qint64 offset, int *err);
qint64 readAt(int fd, char *data, qint64 size, qint64 offset, int *err);

bool syncData(int fd, int *err);
bool syncDirectory(const QString &dir, int *err);
bool preallocate(int fd, qint64 size, int *err);
bool truncateFile(int fd, qint64 size, int *err);
qint64 fileSize(int fd);

// Replace path atomically: write path.tmp, fdatasync it, rename over path, fsync the directory. A reader
// (or a restart after kill -9) sees either the old or the new content, never a mix.
bool writeFileAtomic(const QString &path, const QByteArray &bytes, QString *error);
QByteArray readWholeFile(const QString &path, bool *ok);

bool removeFile(const QString &path);

} // namespace Proxy::FileIo

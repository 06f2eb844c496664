using Microsoft.EntityFrameworkCore;

namespace RecoveryStudy.Data;

/// <summary>
/// The part of an in-memory cache's key that says which database an entry was read from: a host
/// serves one database, but a process may hold several (the tests do), and ids repeat across them.
/// </summary>
internal static class CachedPerDatabase
{
    /// <summary>The server and database of the context's connection.</summary>
    internal static string Key(StudyDbContext db)
    {
        var connection = db.Database.GetDbConnection();
        return connection.DataSource + "/" + connection.Database;
    }
}

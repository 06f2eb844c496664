using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace RecoveryStudy.Tests.Infrastructure;

/// <summary>
/// Counts the database round trips a host makes: every command EF Core executes (a batch of
/// several statements is one command and one round trip) plus every COMMIT and ROLLBACK, which
/// Npgsql sends on their own. BEGIN is not counted: Npgsql sends it with the next command.
/// Added to a <see cref="TestApp"/> with <see cref="AddTo"/>.
/// </summary>
public sealed class RoundTripCounter : DbCommandInterceptor, IDbTransactionInterceptor
{
    private int count;
    private readonly List<string> seen = [];

    public int Count => Volatile.Read(ref count);

    /// <summary>What was counted since the last reset, for an assertion message.</summary>
    public string Seen => string.Join("\n---\n", Statements);

    /// <summary>The commands counted since the last reset, one string each.</summary>
    public IReadOnlyList<string> Statements
    {
        get
        {
            lock (seen)
            {
                return [.. seen];
            }
        }
    }

    public void Reset()
    {
        lock (seen)
        {
            seen.Clear();
            Interlocked.Exchange(ref count, 0);
        }
    }

    public void AddTo(WebApplicationBuilder builder) =>
        builder.Services.ConfigureDbContext<RecoveryStudy.Data.StudyDbContext>(options => options.AddInterceptors(this));

    private void Count1(string what)
    {
        lock (seen)
        {
            seen.Add(what);
            Interlocked.Increment(ref count);
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count1(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count1(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Count1(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count1(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Count1(command.CommandText);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count1(command.CommandText);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Count1("COMMIT");
        return result;
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Count1("COMMIT");
        return ValueTask.FromResult(result);
    }

    public InterceptionResult TransactionRollingBack(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        Count1("ROLLBACK");
        return result;
    }

    public ValueTask<InterceptionResult> TransactionRollingBackAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Count1("ROLLBACK");
        return ValueTask.FromResult(result);
    }
}

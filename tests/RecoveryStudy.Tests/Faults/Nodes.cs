namespace RecoveryStudy.Tests.Faults;

/// <summary>Several nodes against one database: the first starts alone (it creates Hangfire's schema), the rest together.</summary>
public sealed class Nodes : IAsyncDisposable
{
    private Nodes(IReadOnlyList<NodeProcess> all) => All = all;

    public IReadOnlyList<NodeProcess> All { get; }

    public NodeProcess this[int index] => All[index];

    public static async Task<Nodes> StartAsync(int count, IReadOnlyDictionary<string, string> settings)
    {
        var first = await NodeProcess.StartAsync("n1", settings);
        var rest = await Task.WhenAll(Enumerable.Range(2, count - 1).Select(i => NodeProcess.StartAsync("n" + i, settings)));
        return new Nodes([first, .. rest]);
    }

    /// <summary>Every node's log, for a failing assertion's message.</summary>
    public string Logs() => string.Join("\n", All.Select(n => $"--- node {n.Name}\n{n.Log()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in All)
        {
            await node.DisposeAsync();
        }
    }
}

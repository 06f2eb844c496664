namespace RecoveryStudy.Tests.Faults;

/// <summary>The fault scenarios run one after another: each starts several host processes.</summary>
[CollectionDefinition(nameof(FaultsCollection))]
public sealed class FaultsCollection;

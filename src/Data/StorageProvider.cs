namespace Pipeline.Data;

/// <summary>Bound from <c>Storage:Provider</c>: <c>sqlite</c> (embedded, the default) or <c>postgres</c>.</summary>
public enum StorageProvider
{
    Sqlite,
    Postgres,
}

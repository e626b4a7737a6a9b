using Microsoft.Extensions.Primitives;

namespace Pipeline.Dashboard;

/// <summary>Run ids from a query: <c>runs=a,b</c>, <c>runs=a&amp;runs=b</c> (a form's checkboxes) or both.</summary>
static class RunIds
{
    /// <returns>the ids in order, without repeats; null when one is not a GUID or none is given</returns>
    public static IReadOnlyList<Guid>? Parse(StringValues values)
    {
        var ids = new List<Guid>();
        foreach (var part in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Guid.TryParse(part, out var id)) return null;
            if (!ids.Contains(id)) ids.Add(id);
        }
        return ids.Count == 0 ? null : ids;
    }
}

namespace RecoveryStudy.Statistics;

/// <summary>Ranking with ties given the average of the ranks they span (mid-ranks).</summary>
internal static class Ranks
{
    public static double[] Average(double[] values, out List<int> tieSizes)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ThenBy(i => i).ToArray();
        var ranks = new double[values.Length];
        tieSizes = [];
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }
            var rank = (start + end) / 2.0 + 1.0;
            for (var k = start; k <= end; k++)
            {
                ranks[order[k]] = rank;
            }
            tieSizes.Add(end - start + 1);
            start = end + 1;
        }
        return ranks;
    }
}

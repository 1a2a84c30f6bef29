"""Link analysis: the graph of resolved entities, its neighbourhoods, paths, communities,
centrality, dated links and the bridges between criminal and terrorist groups."""

/** The page's CSS, inline: the page must open without a network. */
export const PAGE_CSS = `
body { font: 16px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #1d2330; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { border-bottom: 2px solid #d6dbe6; padding-bottom: .2em; margin-top: 1.6em; }
h3 { font-size: 1em; margin: 1em 0 .3em; } .meta { color: #5b6475; font-size: .9em; }
pre { background: #f5f7fa; border: 1px solid #e1e5ee; border-radius: 6px; padding: .7em 1em; overflow-x: auto; font-size: 13px; }
pre.prose { white-space: pre-wrap; font: inherit; background: none; border: 0; padding: 0; }
.warn { color: #8a5a00; background: #fff6de; padding: .4em .8em; border-radius: 6px; }
.scroll { overflow-x: auto; border: 1px solid #e1e5ee; border-radius: 6px; }
svg.timeline .lane { fill: #f5f7fa; } svg.timeline .lane:nth-of-type(2) { fill: #faf5fb; }
svg.timeline .lane-label { font: 12px monospace; fill: #5b6475; }
svg.timeline .mark rect { fill: #1f8fb3; } svg.timeline .mark.container rect { fill: #a33ea1; }
svg.timeline .mark.error rect { fill: #d22; } svg.timeline .mark:hover rect { stroke: #000; stroke-width: 2; }
svg.timeline .moment line { stroke: #999; stroke-dasharray: 3 3; } svg.timeline .moment text { font: 10px sans-serif; fill: #666; }
.legend { padding: 0 .5em; border-radius: 3px; color: #fff; } .legend.host { background: #1f8fb3; } .legend.container { background: #a33ea1; } .legend.error { background: #d22; }
.process { font: 13px monospace; padding: 1px 0; } .pid { color: #1f8fb3; font-weight: bold; } .nspid { color: #a33ea1; font-weight: normal; }
.ns-boundary { border: 2px dashed #a33ea1; border-radius: 8px; padding: .4em .8em; margin: .4em 0 .4em 2em; background: #fcf6fc; }
.ns-label { font-size: .85em; color: #a33ea1; margin-bottom: .2em; }
svg.network .netns { fill: none; stroke: #999; stroke-dasharray: 6 4; } svg.network .ctr-ns { stroke: #a33ea1; }
svg.network .ns-title { font: 12px sans-serif; fill: #666; } svg.network .box rect { fill: #eef6fa; stroke: #1f8fb3; }
svg.network .eth0 rect { fill: #fbeffb; stroke: #a33ea1; } svg.network text { font: 13px monospace; }
svg.network .wire { stroke: #333; stroke-width: 3; } svg.network .veth-pair { stroke-dasharray: 8 4; }
svg.network .dnat { fill: none; stroke: #d27a00; stroke-width: 2; } svg.network .dnat-label { fill: #d27a00; font-size: 12px; }
.add { color: #137333; background: #e6f4ea; display: inline-block; width: 100%; } .del { color: #b3261e; background: #fce8e6; display: inline-block; width: 100%; }
.same { color: #5b6475; font-weight: normal; font-size: .85em; }
.stderr { color: #8a5a00; }
table { border-collapse: collapse; font-size: 13px; } td { border-top: 1px solid #eee; padding: 2px 6px; vertical-align: top; }
tr.container td:first-child { color: #a33ea1; } tr.host td:first-child { color: #1f8fb3; } tr.error { background: #fce8e6; }
.why { color: #5b6475; } .num { text-align: right; white-space: nowrap; }
ul.claims li.held { color: #137333; } ul.claims li.missed { color: #8a5a00; } ul { padding-left: 1.2em; }
`;

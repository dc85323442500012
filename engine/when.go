package engine

import (
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/ttx-dev/ttx/scenarios"
	"github.com/zclconf/go-cty/cty"
)

// whenHolds evaluates in's `when` at simulated time t over the exercise's state.
func (x *Exercise) whenHolds(in *scenarios.Inject, t time.Duration) (bool, error) {
	if in.When == nil {
		return true, nil
	}
	return x.sc.EvalWhen(in, x.st.Facts(in.When.Variables(), t))
}

// Facts returns what a `when` expression sees at simulated time t (language.md): the facts of
// the actions, injects and decisions the traversals name (all of them when vars is nil).
func (st *State) Facts(vars []hcl.Traversal, t time.Duration) scenarios.Facts {
	f := scenarios.Facts{
		Actions:       make(map[string]scenarios.ActionFacts),
		Injects:       make(map[string]bool),
		Decisions:     make(map[string]string),
		SeverityLevel: st.Level,
		Elapsed:       t,
	}
	add := func(root, name string) {
		switch root {
		case "action":
			f.Actions[name] = st.actionFacts(name)
		case "inject":
			if is := st.Injects[name]; is != nil {
				f.Injects[name] = is.Delivered
			}
		case "decision":
			if settled, ok := st.Settled[name]; ok {
				f.Decisions[name] = settled.Option // v2: the first answer or default
			}
		}
	}
	if vars == nil {
		for _, a := range st.ix.sc.Plan.Actions {
			add("action", a.Name)
		}
		for _, in := range st.ix.sc.Injects {
			add("inject", in.Name)
		}
		for name := range st.ix.decisions {
			add("decision", name)
		}
		return f
	}
	for _, v := range vars {
		if len(v) < 2 {
			continue
		}
		switch step := v[1].(type) {
		case hcl.TraverseAttr:
			add(v.RootName(), step.Name)
		case hcl.TraverseIndex:
			if step.Key.IsKnown() && !step.Key.IsNull() && step.Key.Type() == cty.String {
				add(v.RootName(), step.Key.AsString())
			}
		}
	}
	return f
}

// actionFacts: done when some team recorded it; on time when its owner recorded it by its
// deadline (or before it was triggered); by the team that recorded it first.
func (st *State) actionFacts(name string) scenarios.ActionFacts {
	recs := st.Records[name]
	if len(recs) == 0 {
		return scenarios.ActionFacts{}
	}
	af := scenarios.ActionFacts{Done: true, By: recs[0].Team}
	if a := st.ix.actions[name]; a != nil {
		trig, triggered := st.Triggered[name]
		for _, r := range recs {
			if r.Team == a.Owner && (!triggered || r.T <= trig.Deadline()) {
				af.OnTime = true
				break
			}
		}
	}
	return af
}

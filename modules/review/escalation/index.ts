// Privilege-escalation paths (a catalogue written from pathfinding.cloud's, and the detector that finds
// them in a principal's grants) and the risk categories read from single grants: credentials exposure,
// data exfiltration, who a trust or resource policy lets in.
export * from './catalog';
export * from './detector';
export * from './categories';
export * from './render';

// Tasks: see README "Layout". (Placeholder until its issue lands.)
import SculptCore
